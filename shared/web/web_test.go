package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/open12315/intake/shared/apigw"
	"github.com/open12315/intake/shared/region"
)

func get(t *testing.T, h *Handler, routeKey, file string, hdr ...string) apigw.Response {
	t.Helper()
	r := apigw.Request{RouteKey: routeKey, Headers: map[string]string{}}
	r.RequestContext.RequestID = "req-1"
	if file != "" {
		r.PathParameters = map[string]string{"file": file}
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Headers[strings.ToLower(hdr[i])] = hdr[i+1]
	}
	resp, err := h.Handle(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// body returns the decoded, decompressed body of resp.
func body(t *testing.T, resp apigw.Response) []byte {
	t.Helper()
	b := []byte(resp.Body)
	if resp.IsBase64Encoded {
		var err error
		if b, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
			t.Fatalf("base64: %v", err)
		}
	}
	if resp.Headers["content-encoding"] == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatalf("gunzip: %v", err)
		}
	}
	return b
}

func checkSecurity(t *testing.T, resp apigw.Response) {
	t.Helper()
	want := map[string]string{
		"content-security-policy": ContentSecurityPolicy,
		"x-content-type-options":  "nosniff",
		"referrer-policy":         "no-referrer",
	}
	for k, v := range want {
		if resp.Headers[k] != v {
			t.Errorf("%s = %q, want %q", k, resp.Headers[k], v)
		}
	}
}

var assetRef = regexp.MustCompile(`(?:href|src)="(assets/[^"]+)"`)

func TestPage(t *testing.T) {
	h := newHandler()
	resp := get(t, h, "GET /", "")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if ct := resp.Headers["content-type"]; ct != "text/html; charset=utf-8" {
		t.Errorf("content-type %q", ct)
	}
	if cc := resp.Headers["cache-control"]; cc != CacheRevalidate {
		t.Errorf("cache-control %q", cc)
	}
	if resp.Headers["etag"] == "" {
		t.Error("no etag")
	}
	checkSecurity(t, resp)
	page := string(body(t, resp))
	for _, s := range []string{`lang="zh-CN"`, "投诉", "举报", "咨询", `name="consumer.phone"`, `name="business.region_code"`, "查询码"} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	// No inline script or style, no external resources: the CSP allows
	// neither.
	if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`).MatchString(page) || strings.Contains(page, "<style") || strings.Contains(page, " style=") {
		t.Error("page has inline script or style")
	}
	if regexp.MustCompile(`(?:href|src)="(?:https?:)?//`).MatchString(page) {
		t.Error("page links an external resource")
	}
	// Every asset is linked under its content-hashed name, and served so.
	refs := assetRef.FindAllStringSubmatch(page, -1)
	if len(refs) != 2 {
		t.Fatalf("asset links = %v, want the CSS and the JS", refs)
	}
	for _, ref := range refs {
		if !regexp.MustCompile(`^assets/app\.[0-9a-f]{10}\.(css|js)$`).MatchString(ref[1]) {
			t.Errorf("asset link %q is not content-hashed", ref[1])
		}
		file := strings.TrimPrefix(ref[1], "assets/")
		if a := get(t, h, "GET /assets/{file}", file); a.StatusCode != 200 || a.Headers["cache-control"] != CacheImmutable {
			t.Errorf("%s: %d, cache-control %q", file, a.StatusCode, a.Headers["cache-control"])
		}
	}
}

func TestAssets(t *testing.T) {
	h := newHandler()
	s := Embedded()
	tests := []struct {
		file, ctype, cache string
	}{
		{"app.css", "text/css; charset=utf-8", CacheRevalidate},
		{"app.js", "text/javascript; charset=utf-8", CacheRevalidate},
	}
	for _, tc := range tests {
		hashedURL, ok := s.AssetURL(tc.file)
		if !ok {
			t.Fatalf("no hashed name for %s", tc.file)
		}
		hashed := strings.TrimPrefix(hashedURL, "assets/")
		for _, name := range []string{tc.file, hashed} {
			t.Run(name, func(t *testing.T) {
				resp := get(t, h, "GET /assets/{file}", name)
				if resp.StatusCode != 200 {
					t.Fatalf("status %d", resp.StatusCode)
				}
				if resp.Headers["content-type"] != tc.ctype {
					t.Errorf("content-type %q, want %q", resp.Headers["content-type"], tc.ctype)
				}
				want := tc.cache
				if name == hashed {
					want = CacheImmutable
				}
				if resp.Headers["cache-control"] != want {
					t.Errorf("cache-control %q, want %q", resp.Headers["cache-control"], want)
				}
				checkSecurity(t, resp)
				if resp.IsBase64Encoded || resp.Headers["content-encoding"] != "" {
					t.Error("identity body without Accept-Encoding expected")
				}
				raw, _ := fs.ReadFile(staticFS, "static/"+tc.file)
				if !bytes.Equal(body(t, resp), raw) {
					t.Error("body differs from the embedded file")
				}
			})
		}
	}
}

func TestUnknown(t *testing.T) {
	h := newHandler()
	for _, tc := range []struct{ key, file string }{
		{"GET /assets/{file}", "nope.js"},
		{"GET /assets/{file}", "app.0000000000.js"}, // a stale hash is not served as current
		{"GET /assets/{file}", "index.html"},
		{"GET /assets/{file}", "../web.go"},
		{"POST /", ""},
		{"GET /admin", ""},
	} {
		resp := get(t, h, tc.key, tc.file)
		if resp.StatusCode != 404 {
			t.Errorf("%s %s: status %d, want 404", tc.key, tc.file, resp.StatusCode)
			continue
		}
		var e struct {
			Error struct{ Code, RequestID string } `json:"error"`
		}
		if err := json.Unmarshal([]byte(resp.Body), &e); err != nil || e.Error.Code != "not_found" {
			t.Errorf("%s %s: body %s", tc.key, tc.file, resp.Body)
		}
		if resp.Headers["cache-control"] != "no-store" {
			t.Errorf("404 cache-control %q", resp.Headers["cache-control"])
		}
		checkSecurity(t, resp)
	}
}

func TestGzip(t *testing.T) {
	h := newHandler()
	for _, key := range []string{"GET /", "GET /assets/{file}", "GET /v1/regions"} {
		plain := get(t, h, key, "app.js")
		gz := get(t, h, key, "app.js", "Accept-Encoding", "gzip, deflate, br")
		if gz.Headers["content-encoding"] != "gzip" || !gz.IsBase64Encoded {
			t.Fatalf("%s: content-encoding %q, base64 %v", key, gz.Headers["content-encoding"], gz.IsBase64Encoded)
		}
		if gz.Headers["vary"] != "Accept-Encoding" || plain.Headers["vary"] != "Accept-Encoding" {
			t.Errorf("%s: vary %q / %q", key, gz.Headers["vary"], plain.Headers["vary"])
		}
		if gz.Headers["etag"] == plain.Headers["etag"] {
			t.Errorf("%s: gzip and identity share the ETag %s", key, gz.Headers["etag"])
		}
		if gz.Headers["content-type"] != plain.Headers["content-type"] {
			t.Errorf("%s: content-type %q vs %q", key, gz.Headers["content-type"], plain.Headers["content-type"])
		}
		if !bytes.Equal(body(t, gz), body(t, plain)) {
			t.Errorf("%s: gunzipped body differs", key)
		}
		if n := len(gz.Body) * 3 / 4; n >= len(plain.Body) {
			t.Errorf("%s: gzip (%d) not smaller than identity (%d)", key, n, len(plain.Body))
		}
	}
	refused := get(t, h, "GET /", "", "Accept-Encoding", "gzip;q=0, *")
	if refused.Headers["content-encoding"] != "" {
		t.Error("gzip sent although refused with q=0")
	}
}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{
		"":                      false,
		"gzip":                  true,
		"GZIP":                  true,
		"br, gzip;q=0.5":        true,
		"gzip;q=0":              false,
		"gzip; q=0.0":           false,
		"deflate, br":           false,
		"*":                     true,
		"*;q=0":                 false,
		"gzip;q=0, *":           false,
		"identity, x-gzip;q=.8": true,
	} {
		if got := AcceptsGzip(h); got != want {
			t.Errorf("AcceptsGzip(%q) = %v, want %v", h, got, want)
		}
	}
}

func TestNotModified(t *testing.T) {
	h := newHandler()
	for _, tc := range []struct{ key, file string }{{"GET /", ""}, {"GET /assets/{file}", "app.css"}, {"GET /v1/regions", ""}} {
		first := get(t, h, tc.key, tc.file, "Accept-Encoding", "gzip")
		tag := first.Headers["etag"]
		again := get(t, h, tc.key, tc.file, "Accept-Encoding", "gzip", "If-None-Match", `"other", W/`+tag)
		if again.StatusCode != http.StatusNotModified || again.Body != "" {
			t.Errorf("%s: revalidation answered %d with %d bytes", tc.key, again.StatusCode, len(again.Body))
		}
		if again.Headers["etag"] != tag || again.Headers["cache-control"] != first.Headers["cache-control"] {
			t.Errorf("%s: 304 headers %v", tc.key, again.Headers)
		}
		if stale := get(t, h, tc.key, tc.file, "If-None-Match", `"stale"`); stale.StatusCode != 200 {
			t.Errorf("%s: stale tag answered %d", tc.key, stale.StatusCode)
		}
	}
}

func TestRegions(t *testing.T) {
	h := newHandler()
	resp := get(t, h, "GET /v1/regions", "")
	if resp.StatusCode != 200 || resp.Headers["content-type"] != "application/json; charset=utf-8" {
		t.Fatalf("status %d, content-type %q", resp.StatusCode, resp.Headers["content-type"])
	}
	if resp.Headers["cache-control"] != CacheRegions || !strings.Contains(CacheRegions, "public") {
		t.Errorf("cache-control %q", resp.Headers["cache-control"])
	}
	var list RegionList
	dec := json.NewDecoder(bytes.NewReader(body(t, resp)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&list); err != nil {
		t.Fatal(err)
	}
	if list.Province.Code != "630000" || list.Province.Name != "青海省" {
		t.Errorf("province = %+v", list.Province)
	}
	wantPref := []string{"西宁市", "海东市", "海北藏族自治州", "黄南藏族自治州", "海南藏族自治州", "果洛藏族自治州", "玉树藏族自治州", "海西蒙古族藏族自治州"}
	if len(list.Prefectures) != len(wantPref) {
		t.Fatalf("%d prefectures, want %d", len(list.Prefectures), len(wantPref))
	}
	g := region.Default()
	counties := 0
	names := map[string]string{}
	for i, p := range list.Prefectures {
		if p.Name != wantPref[i] {
			t.Errorf("prefecture %d = %s, want %s", i, p.Name, wantPref[i])
		}
		if len(p.Counties) == 0 {
			t.Errorf("%s has no counties", p.Name)
		}
		for _, c := range p.Counties {
			counties++
			names[c.Code] = c.Name
			r, ok := g.Record(c.Code)
			if !ok || r.Legacy() || r.Parent != p.Code || r.Level != region.County || r.Name != c.Name {
				t.Errorf("county %+v under %s does not match the gazetteer (%+v)", c, p.Code, r)
			}
		}
	}
	if want := len(g.Regions(region.County)); counties != want || counties < 44 {
		t.Errorf("%d counties, want the gazetteer's %d (44 county-level units and 大柴旦)", counties, want)
	}
	for code, name := range map[string]string{
		"630102": "城东区", "630106": "湟中区", "630121": "大通回族土族自治县", "632301": "同仁市",
		"632801": "格尔木市", "632803": "茫崖市", "632857": "大柴旦行政委员会", "632726": "曲麻莱县",
	} {
		if names[code] != name {
			t.Errorf("county %s = %q, want %q", code, names[code], name)
		}
	}
	for _, legacy := range []string{"630122", "632321", "632858", "632859"} {
		if _, ok := names[legacy]; ok {
			t.Errorf("legacy code %s is offered", legacy)
		}
	}
}

// TestSize keeps what a first visit loads (page, CSS, JS and the regions)
// light for slow phone networks.
func TestSize(t *testing.T) {
	const budget = 30 << 10 // 30 KiB, uncompressed
	total, gzTotal := 0, 0
	h := newHandler()
	for _, tc := range []struct{ key, file string }{{"GET /", ""}, {"GET /assets/{file}", "app.css"}, {"GET /assets/{file}", "app.js"}, {"GET /v1/regions", ""}} {
		plain := get(t, h, tc.key, tc.file)
		gz := get(t, h, tc.key, tc.file, "Accept-Encoding", "gzip")
		z, _ := base64.StdEncoding.DecodeString(gz.Body)
		total += len(plain.Body)
		gzTotal += len(z)
	}
	t.Logf("page + CSS + JS + regions: %d bytes, %d gzipped", total, gzTotal)
	if total > budget {
		t.Errorf("page + CSS + JS + regions = %d bytes, budget %d", total, budget)
	}
}

func TestBuild(t *testing.T) {
	s, err := Build(fstest.MapFS{
		"index.html": {Data: []byte(`<link href="assets/a.css"><img src="assets/i.png">`)},
		"a.css":      {Data: []byte("body{}")},
		"i.png":      {Data: []byte("\x89PNG\r\n\x1a\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{Site: s, Log: slog.New(slog.DiscardHandler)}
	page := string(body(t, get(t, h, "GET /", "")))
	png, _ := s.AssetURL("i.png")
	if !strings.Contains(page, `src="`+png+`"`) {
		t.Errorf("page %s does not link %s", page, png)
	}
	// Binary assets travel base64-encoded and uncompressed.
	resp := get(t, h, "GET /assets/{file}", strings.TrimPrefix(png, "assets/"), "Accept-Encoding", "gzip")
	if !resp.IsBase64Encoded || resp.Headers["content-encoding"] != "" || resp.Headers["content-type"] != "image/png" {
		t.Errorf("png: base64 %v, encoding %q, type %q", resp.IsBase64Encoded, resp.Headers["content-encoding"], resp.Headers["content-type"])
	}
	if string(body(t, resp)) != "\x89PNG\r\n\x1a\n" {
		t.Error("png body damaged")
	}
	if _, err := Build(fstest.MapFS{"a.css": {Data: []byte("x")}}); err == nil {
		t.Error("a site without index.html built")
	}
	if _, err := Build(fstest.MapFS{"index.html": {}, "x.exe": {Data: []byte("x")}}); err == nil {
		t.Error("an asset of unknown type was accepted")
	}
}

func newHandler() *Handler { return &Handler{Log: slog.New(slog.DiscardHandler)} }
