// Package web serves the mobile web page (H5) through which consumers file
// complaints, reports and inquiries and look their cases up. The page and
// its assets are embedded in the binary.
package web

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/open12315/intake/shared/apierr"
	"github.com/open12315/intake/shared/apigw"
)

// Handler serves the page and its assets.
type Handler struct {
	Log *slog.Logger
}

// Handle answers one request.
func (h *Handler) Handle(ctx context.Context, r apigw.Request) (apigw.Response, error) {
	return apigw.Error(apierr.New(http.StatusNotFound, apierr.CodeNotFound, "not built yet"), r.RequestContext.RequestID), nil
}
