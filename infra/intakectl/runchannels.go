package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/open12315/intake/shared/channel/wechat/wechattest"
)

// devChannels prepares the intake channels for `intakectl run`: fresh
// development secrets (path tokens, Twilio token, 12345 key), a fake
// WeChat API server that accepts any login or phone code, and the fake
// SMS provider's outbox file. It returns the functions' extra environment,
// the banner lines and a stop function.
func devChannels(base, root string) (map[string]string, string, func(), error) {
	secret := func() string {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		return hex.EncodeToString(b)
	}
	fake := wechattest.New("wx-dev-app", secret())
	fake.AutoAccept = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, fmt.Errorf("fake WeChat server: %w", err)
	}
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	outbox := filepath.Join(root, ".build", "sms-outbox.jsonl")
	if err := os.MkdirAll(filepath.Dir(outbox), 0o755); err != nil {
		srv.Close()
		return nil, "", nil, err
	}
	env := map[string]string{
		"WECHAT_APP_ID": fake.AppID, "WECHAT_APP_SECRET": fake.AppSecret,
		"WECHAT_API_BASE": "http://" + ln.Addr().String(), "WECHAT_PROGRESS_TEMPLATE_ID": "tpl-dev-progress",
		"SMS_ALIYUN_PATH_TOKEN": secret(), "SMS_TENCENT_PATH_TOKEN": secret(),
		"TWILIO_AUTH_TOKEN": secret(), "TWILIO_WEBHOOK_URL": base + "/v1/sms/twilio",
		"HOTLINE_API_KEY": secret(), "SMS_OUTBOX_FILE": outbox,
	}
	banner := fmt.Sprintf(`
text a complaint as Aliyun would deliver it (development path token below), then 查询 it:

curl -sS -X POST %s/v1/sms/aliyun/%s -H 'Content-Type: application/json' \
  -d '[{"phone_number":"13912345678","send_time":"2026-11-27 10:00:00","content":"西宁市城东区某超市卖过期牛奶","dest_code":"1234","sequence_id":"1"}]'

the replies the fake SMS provider "sends" (tracking code, status answers) land in
  %s

a 12345 transfer:

curl -sS -X POST %s/v1/hotline/transfers -H 'Content-Type: application/json' -H 'X-Api-Key: %s' \
  -d '{"work_order_id":"12345-demo-1","due_date":"%s","content":"西宁市城东区某超市卖过期牛奶","contact":{"phone":"13800138000"}}'

mini-program: POST %s/v1/mp/login {"code":"any"} against a fake WeChat at %s
`, base, env["SMS_ALIYUN_PATH_TOKEN"], outbox, base, env["HOTLINE_API_KEY"],
		time.Now().AddDate(0, 0, 10).Format("2006-01-02"), base, env["WECHAT_API_BASE"])
	return env, banner, func() { _ = srv.Close() }, nil
}
