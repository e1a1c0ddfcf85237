package local

import (
	"context"

	"github.com/open12315/intake/shared/app"
)

// Factories maps every function of template.yaml to the constructor its
// main calls. A function added to the template without an entry here makes
// Start fail, so the local stack cannot silently drift from the cloud.
func Factories() map[string]Factory {
	return map[string]Factory{
		"ApiFunction": func(ctx context.Context, env func(string) string) (any, error) {
			h, err := app.API(ctx, env)
			if err != nil {
				return nil, err
			}
			return h.Handle, nil
		},
		"RouteFunction": func(ctx context.Context, env func(string) string) (any, error) {
			h, err := app.Route(ctx, env)
			if err != nil {
				return nil, err
			}
			return h.Handle, nil
		},
		"SweepFunction": func(ctx context.Context, env func(string) string) (any, error) {
			h, err := app.Sweep(ctx, env)
			if err != nil {
				return nil, err
			}
			return h.Handle, nil
		},
		"NotifyFunction": func(ctx context.Context, env func(string) string) (any, error) {
			h, err := app.Notify(ctx, env)
			if err != nil {
				return nil, err
			}
			return h.Handle, nil
		},
		"StaffFunction": func(ctx context.Context, env func(string) string) (any, error) {
			h, err := app.Staff(ctx, env)
			if err != nil {
				return nil, err
			}
			return h.Handle, nil
		},
		"WebFunction": func(ctx context.Context, env func(string) string) (any, error) {
			h, err := app.Web(ctx, env)
			if err != nil {
				return nil, err
			}
			return h.Handle, nil
		},
		"MiniProgramFunction": func(ctx context.Context, env func(string) string) (any, error) {
			h, err := app.MiniProgram(ctx, env)
			if err != nil {
				return nil, err
			}
			return h.Handle, nil
		},
		"SmsInboundFunction": func(ctx context.Context, env func(string) string) (any, error) {
			h, err := app.SMSInbound(ctx, env)
			if err != nil {
				return nil, err
			}
			return h.Handle, nil
		},
		"SmsEumFunction": func(ctx context.Context, env func(string) string) (any, error) {
			h, err := app.SMSEUM(ctx, env)
			if err != nil {
				return nil, err
			}
			return h.Handle, nil
		},
		"HotlineFunction": func(ctx context.Context, env func(string) string) (any, error) {
			h, err := app.Hotline(ctx, env)
			if err != nil {
				return nil, err
			}
			return h.Handle, nil
		},
		"OutboundFunction": func(ctx context.Context, env func(string) string) (any, error) {
			h, err := app.Outbound(ctx, env)
			if err != nil {
				return nil, err
			}
			return h.Handle, nil
		},
	}
}
