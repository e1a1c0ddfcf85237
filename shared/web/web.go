// Package web serves the mobile web page (H5) through which consumers file
// complaints, reports and inquiries and look their cases up. The page and
// its assets are embedded in the binary.
//
//	GET /               the page (revalidated on every visit: no-cache + ETag)
//	GET /assets/{file}  its CSS and JS; under their content-hashed names
//	                    (app.1a2b3c4d5e.css, as the page links them) they are
//	                    cached for a year, under their plain names revalidated
//	GET /v1/regions     Qinghai's prefectures with their counties, for the
//	                    region picker (cached for a day)
//
// Every answer carries the security headers (a CSP allowing this origin
// only, nosniff, no referrer) and, when the client accepts gzip, is sent
// gzipped, base64-encoded as API Gateway requires for binary bodies.
package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/open12315/intake/shared/apierr"
	"github.com/open12315/intake/shared/apigw"
	"github.com/open12315/intake/shared/region"
)

//go:embed static
var staticFS embed.FS

// Cache policies.
const (
	// CacheImmutable is for content-hashed asset names: the bytes under such
	// a name never change.
	CacheImmutable = "public, max-age=31536000, immutable"
	// CacheRevalidate is for the page and plain asset names: keep a copy but
	// ask (a cheap 304) before using it, so a deploy shows at once.
	CacheRevalidate = "no-cache"
	// CacheRegions is for the gazetteer, which changes once in years.
	CacheRegions = "public, max-age=86400, stale-while-revalidate=604800"
)

// ContentSecurityPolicy allows scripts, styles, images and requests from the
// page's own origin only: no inline script, no third party.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// securityHeaders go on every answer of this function.
var securityHeaders = map[string]string{
	"content-security-policy":    ContentSecurityPolicy,
	"x-content-type-options":     "nosniff",
	"referrer-policy":            "no-referrer",
	"x-frame-options":            "DENY",
	"cross-origin-opener-policy": "same-origin",
	"permissions-policy":         "camera=(), microphone=(), geolocation=(), payment=()",
}

// minGzip is the size below which compressing is not worth a header.
const minGzip = 256

// contentTypes maps the extensions of the embedded files to their types.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".json": "application/json; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ico":  "image/x-icon",
	".txt":  "text/plain; charset=utf-8",
}

// resource is one body the function serves, prepared once.
type resource struct {
	ctype string
	body  []byte
	gz    []byte // gzipped body; nil when compressing does not pay
	tag   string // strong ETag of body, quoted
}

func newResource(ctype string, body []byte) *resource {
	sum := sha256.Sum256(body)
	r := &resource{ctype: ctype, body: body, tag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	if compressible(ctype) && len(body) >= minGzip {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		if b.Len() < len(body) {
			r.gz = b.Bytes()
		}
	}
	return r
}

// gzTag is the ETag of the gzipped representation.
func (r *resource) gzTag() string { return strings.TrimSuffix(r.tag, `"`) + `-gz"` }

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.HasPrefix(ctype, "application/json") ||
		strings.HasPrefix(ctype, "image/svg+xml")
}

// Site is the embedded page and its assets, ready to serve.
type Site struct {
	page   *resource
	assets map[string]*resource // by URL file name: hashed names and plain names
	hashed map[string]bool      // which names of assets are content-hashed
	names  map[string]string    // plain name → hashed name
}

var (
	siteOnce sync.Once
	theSite  *Site
	siteErr  error
)

// Embedded returns the site built from the embedded files. It panics only
// if they are broken, which the tests rule out.
func Embedded() *Site {
	siteOnce.Do(func() {
		sub, err := fs.Sub(staticFS, "static")
		if err == nil {
			theSite, siteErr = Build(sub)
		} else {
			siteErr = err
		}
	})
	if siteErr != nil {
		panic("web: embedded site: " + siteErr.Error())
	}
	return theSite
}

// Build prepares a site from fsys, which holds index.html and the assets it
// links as "assets/<name>". Links to assets are rewritten to their
// content-hashed names.
func Build(fsys fs.FS) (*Site, error) {
	s := &Site{assets: map[string]*resource{}, hashed: map[string]bool{}, names: map[string]string{}}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read site: %w", err)
	}
	var index []byte
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := e.Name()
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if name == "index.html" {
			index = b
			continue
		}
		ext := path.Ext(name)
		ctype, ok := contentTypes[ext]
		if !ok {
			return nil, fmt.Errorf("%s: no content type for %q", name, ext)
		}
		sum := sha256.Sum256(b)
		h := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		r := newResource(ctype, b)
		s.assets[name], s.assets[h] = r, r
		s.hashed[h] = true
		s.names[name] = h
	}
	if index == nil {
		return nil, fmt.Errorf("site has no index.html")
	}
	page := string(index)
	for plain, h := range s.names {
		page = strings.ReplaceAll(page, `"assets/`+plain+`"`, `"assets/`+h+`"`)
	}
	s.page = newResource(contentTypes[".html"], []byte(page))
	return s, nil
}

// AssetURL returns the content-hashed path under which the page links the
// asset name (e.g. "app.js" → "assets/app.1a2b3c4d5e.js").
func (s *Site) AssetURL(name string) (string, bool) {
	h, ok := s.names[name]
	return "assets/" + h, ok
}

// Handler serves the page and its assets.
type Handler struct {
	Log *slog.Logger
	// Site is what is served; nil means Embedded().
	Site *Site
	// Gazetteer feeds GET /v1/regions; nil means region.Default().
	Gazetteer *region.Gazetteer

	regionsOnce sync.Once
	regions     *resource
}

// Handle answers one request.
func (h *Handler) Handle(ctx context.Context, r apigw.Request) (apigw.Response, error) {
	return apigw.Serve(ctx, h.Log, r, func(_ context.Context, r apigw.Request) apigw.Response { return h.route(r) })
}

func (h *Handler) site() *Site {
	if h.Site != nil {
		return h.Site
	}
	return Embedded()
}

func (h *Handler) route(r apigw.Request) apigw.Response {
	key := r.RouteKey
	if key == "" || key == "$default" {
		key = r.RequestContext.HTTP.Method + " " + r.RequestContext.HTTP.Path
	}
	switch {
	case key == "GET /":
		return serve(r, h.site().page, CacheRevalidate)
	case key == "GET /assets/{file}" || strings.HasPrefix(key, "GET /assets/"):
		file := r.PathParameters["file"]
		if file == "" {
			file = strings.TrimPrefix(key, "GET /assets/")
		}
		s := h.site()
		a, ok := s.assets[file]
		if !ok {
			return notFound(r, "no such asset")
		}
		cc := CacheRevalidate
		if s.hashed[file] {
			cc = CacheImmutable
		}
		return serve(r, a, cc)
	case key == "GET /v1/regions":
		return serve(r, h.regionsResource(), CacheRegions)
	}
	return notFound(r, "no such route")
}

func notFound(r apigw.Request, msg string) apigw.Response {
	resp := apigw.Error(apierr.New(http.StatusNotFound, apierr.CodeNotFound, msg), r.RequestContext.RequestID)
	for k, v := range securityHeaders {
		resp.Headers[k] = v
	}
	return resp
}

// serve answers with res: 304 when the client's copy is current, the
// gzipped body when the client takes it.
func serve(r apigw.Request, res *resource, cacheControl string) apigw.Response {
	hdr := make(map[string]string, len(securityHeaders)+6)
	for k, v := range securityHeaders {
		hdr[k] = v
	}
	hdr["cache-control"] = cacheControl
	useGzip := res.gz != nil && AcceptsGzip(apigw.Header(r, "accept-encoding"))
	hdr["etag"] = res.tag
	if res.gz != nil {
		hdr["vary"] = "Accept-Encoding"
		if useGzip {
			hdr["etag"] = res.gzTag()
		}
	}
	if inm := apigw.Header(r, "if-none-match"); inm != "" && etagMatch(inm, res.tag, res.gzTag()) {
		return apigw.Response{StatusCode: http.StatusNotModified, Headers: hdr}
	}
	hdr["content-type"] = res.ctype
	body := res.body
	if useGzip {
		hdr["content-encoding"] = "gzip"
		body = res.gz
	}
	if useGzip || !textual(res.ctype) {
		return apigw.Response{StatusCode: http.StatusOK, Headers: hdr,
			Body: base64.StdEncoding.EncodeToString(body), IsBase64Encoded: true}
	}
	return apigw.Response{StatusCode: http.StatusOK, Headers: hdr, Body: string(body)}
}

func textual(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.HasPrefix(ctype, "application/json") ||
		strings.HasPrefix(ctype, "image/svg+xml")
}

// etagMatch reports whether an If-None-Match header names one of the tags
// (weak comparison, as RFC 9110 prescribes for If-None-Match).
func etagMatch(header string, tags ...string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" {
			return true
		}
		for _, want := range tags {
			if t == want {
				return true
			}
		}
	}
	return false
}

// AcceptsGzip reports whether an Accept-Encoding header admits gzip: named
// with a non-zero q, or covered by * without gzip being refused.
func AcceptsGzip(header string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch coding {
		case "gzip", "x-gzip":
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}

// RegionList is the JSON of GET /v1/regions.
type RegionList struct {
	Province    Place        `json:"province"`
	Prefectures []Prefecture `json:"prefectures"`
}

// Place is one division: its code and names.
type Place struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Short string `json:"short,omitempty"`
}

// Prefecture is a prefecture-level division with its county-level ones.
type Prefecture struct {
	Place
	Counties []Place `json:"counties"`
}

// Regions lists the current prefectures of g, ordered by code, each with
// its current counties.
func Regions(g *region.Gazetteer) RegionList {
	var out RegionList
	if p := g.Regions(region.Province); len(p) > 0 {
		out.Province = Place{Code: p[0].Code, Name: p[0].Name}
	}
	idx := map[string]int{}
	for _, p := range g.Regions(region.Prefecture) {
		idx[p.Code] = len(out.Prefectures)
		out.Prefectures = append(out.Prefectures, Prefecture{Place: place(p), Counties: []Place{}})
	}
	for _, c := range g.Regions(region.County) {
		if i, ok := idx[c.Parent]; ok {
			out.Prefectures[i].Counties = append(out.Prefectures[i].Counties, place(c))
		}
	}
	return out
}

func place(r region.Region) Place {
	p := Place{Code: r.Code, Name: r.Name}
	if r.Short != r.Name {
		p.Short = r.Short
	}
	return p
}

func (h *Handler) regionsResource() *resource {
	h.regionsOnce.Do(func() {
		g := h.Gazetteer
		if g == nil {
			g = region.Default()
		}
		b, err := json.Marshal(Regions(g))
		if err != nil { // cannot happen: plain strings and slices
			panic("web: regions: " + err.Error())
		}
		h.regions = newResource(contentTypes[".json"], b)
	})
	return h.regions
}
