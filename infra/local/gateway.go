package local

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// maxPayload is API Gateway HTTP API's request payload limit.
const maxPayload = 10 << 20

// ServeHTTP is the local API Gateway: it matches the request to a template
// route, builds the payload 2.0 event, invokes the route's function and
// writes its answer back.
func (s *Stack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.count(func(st *Stats) { st.Requests++ })
	route, params := s.match(r.Method, r.URL.EscapedPath())
	if route == nil {
		writeGatewayError(w, http.StatusNotFound, "Not Found")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxPayload+1))
	if err != nil {
		writeGatewayError(w, http.StatusBadRequest, "Bad Request")
		return
	}
	if len(body) > maxPayload {
		writeGatewayError(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large")
		return
	}
	ev := toEvent(r, route.Key(), params, body)
	if route.Authorizer != "" {
		claims, ok := s.authorize(route.Authorizer, r.Header.Get("Authorization"))
		if !ok {
			writeGatewayError(w, http.StatusUnauthorized, "Unauthorized")
			return
		}
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims, Scopes: nil},
		}
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		writeGatewayError(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	out, err := s.Invoke(r.Context(), route.fn, payload)
	if err != nil {
		s.cfg.Log.Error("local gateway: function error", "function", route.fn, "err", err.Error())
		writeGatewayError(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode == 0 {
		writeGatewayError(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	for _, c := range resp.Cookies {
		w.Header().Add("Set-Cookie", c)
	}
	b := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if b, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
			writeGatewayError(w, http.StatusInternalServerError, "Internal Server Error")
			return
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(b)
}

// writeGatewayError answers the way API Gateway itself does.
func writeGatewayError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": msg})
}

func (s *Stack) match(method, path string) (*boundRoute, map[string]string) {
	segs := splitPath(path)
	for i := range s.routes {
		rt := &s.routes[i]
		if rt.Method != method && rt.Method != "ANY" {
			continue
		}
		if params, ok := matchSegments(rt.segments, segs); ok {
			return rt, params
		}
	}
	return nil, nil
}

func matchSegments(pattern, segs []string) (map[string]string, bool) {
	params := map[string]string{}
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "+}") {
			if i >= len(segs) {
				return nil, false
			}
			params[p[1:len(p)-2]] = strings.Join(segs[i:], "/")
			return params, true
		}
		if i >= len(segs) {
			return nil, false
		}
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if segs[i] == "" {
				return nil, false
			}
			params[p[1:len(p)-1]] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	if len(pattern) != len(segs) {
		return nil, false
	}
	if len(params) == 0 {
		return nil, true
	}
	return params, true
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return []string{}
	}
	return strings.Split(p, "/")
}

// routeRank orders routes: literal segments beat parameters, greedy
// parameters come last.
func routeRank(r boundRoute) int {
	rank := 0
	for _, s := range r.segments {
		switch {
		case strings.HasSuffix(s, "+}"):
			rank -= 100
		case strings.HasPrefix(s, "{"):
			rank += 1
		default:
			rank += 3
		}
	}
	return rank
}

// toEvent builds an HTTP API payload 2.0 event: lower-case header names
// with duplicates comma-joined, cookies apart, query parameters
// comma-joined, and the body base64-encoded unless its content type is
// textual, as API Gateway does.
func toEvent(r *http.Request, routeKey string, params map[string]string, body []byte) events.APIGatewayV2HTTPRequest {
	headers := map[string]string{}
	var cookies []string
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		if lk == "cookie" {
			for _, v := range vs {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		headers[lk] = strings.Join(vs, ",")
	}
	if r.Host != "" {
		headers["host"] = r.Host
	}
	var query map[string]string
	if q := r.URL.Query(); len(q) > 0 {
		query = make(map[string]string, len(q))
		for k, vs := range q {
			query[k] = strings.Join(vs, ",")
		}
	}
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	now := time.Now().UTC()
	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              routeKey,
		RawPath:               r.URL.EscapedPath(),
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: query,
		PathParameters:        params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:   routeKey,
			AccountID:  Account,
			Stage:      "$default",
			RequestID:  newRequestID(),
			APIID:      "local",
			DomainName: r.Host,
			Time:       now.Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:  now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      r.URL.Path,
				Protocol:  r.Proto,
				SourceIP:  ip,
				UserAgent: r.UserAgent(),
			},
		},
	}
	if len(body) > 0 {
		// A textual body that is not valid UTF-8 cannot travel as a JSON
		// string unharmed, so it goes base64 like a binary one and the
		// handler sees the bytes the client sent.
		if textual(r.Header.Get("Content-Type")) && utf8.Valid(body) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}
	return ev
}

func textual(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		mt == "application/json", mt == "application/xml", mt == "application/javascript":
		return true
	}
	return false
}

// authorize checks a bearer token the way API Gateway's JWT authorizer
// does (signature, issuer, audience, expiry) and returns its claims as the
// authorizer hands them to the function: every value a string, arrays as
// "[a b]".
func (s *Stack) authorize(name, header string) (map[string]string, bool) {
	v := s.verifier[name]
	token, ok := strings.CutPrefix(header, "Bearer ")
	if v == nil || !ok {
		return nil, false
	}
	c, err := v.Verify(strings.TrimSpace(token))
	if err != nil {
		return nil, false
	}
	m := map[string]string{"sub": c.Subject, "unit": c.Unit, "role": string(c.Role), "iss": c.Issuer}
	switch len(c.Audience) {
	case 0:
	case 1:
		m["aud"] = c.Audience[0]
	default:
		m["aud"] = "[" + strings.Join(c.Audience, " ") + "]"
	}
	for k, t := range map[string]time.Time{"exp": c.ExpiresAt, "iat": c.IssuedAt, "nbf": c.NotBefore} {
		if !t.IsZero() {
			m[k] = strconv.FormatInt(t.Unix(), 10)
		}
	}
	return m, true
}
