package wechat

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/open12315/intake/shared/channel"
	"github.com/open12315/intake/shared/channel/internal/fixture"
)

// Vectors from WeChat's official documentation and sample code, as
// collected in channels.md §2.1–2.3 (P1, P2, A–E).

func TestVerifySignaturePlain(t *testing.T) {
	tests := []struct {
		name                        string
		token, ts, nonce, signature string
		want                        bool
	}{
		{"P1 URL verification", "AAAAA", "1714036504", "1514711492", "f464b24fc39322e44b38aa78f5edd27bd1441696", true},
		{"P2 plaintext push", "AAAAA", "1714037059", "486452656", "899cf89e464efb63f54ddac96b0a0a235f53aa78", true},
		{"E URL signature", "AAAAA", "1715943329", "1590219412", "cc0c594499c1634947d5b502f158ee518947db27", true},
		{"upper-case hex accepted", "AAAAA", "1714036504", "1514711492", "F464B24FC39322E44B38AA78F5EDD27BD1441696", true},
		{"tampered timestamp", "AAAAA", "1714036505", "1514711492", "f464b24fc39322e44b38aa78f5edd27bd1441696", false},
		{"tampered nonce", "AAAAA", "1714036504", "1514711493", "f464b24fc39322e44b38aa78f5edd27bd1441696", false},
		{"wrong token", "AAAAB", "1714036504", "1514711492", "f464b24fc39322e44b38aa78f5edd27bd1441696", false},
		{"tampered signature", "AAAAA", "1714036504", "1514711492", "f464b24fc39322e44b38aa78f5edd27bd1441697", false},
		{"empty signature", "AAAAA", "1714036504", "1514711492", "", false},
		{"empty token", "", "1714036504", "1514711492", Signature("", "1714036504", "1514711492"), false},
	}
	for _, tt := range tests {
		if got := VerifySignature(tt.token, tt.ts, tt.nonce, tt.signature); got != tt.want {
			t.Errorf("%s: VerifySignature = %v, want %v", tt.name, got, tt.want)
		}
	}
}

const keyAZ = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

func TestEncryptVectorA(t *testing.T) {
	c, err := NewCrypter("pamtest", keyAZ, "wxb11529c136998cb6")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ msg, want string }{
		{"我是中文abcd123", "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="},
		{`<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>`,
			"jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb"},
	}
	for _, tt := range tests {
		got := c.seal([]byte("aaaabbbbccccdddd"), []byte(tt.msg))
		if got != tt.want {
			t.Errorf("seal(%.20q) = %s, want %s", tt.msg, got, tt.want)
		}
		// Round trip through the public API.
		msg, err := c.Decrypt(Signature("pamtest", "1409304348", "xxxxxx", got), "1409304348", "xxxxxx", got)
		if err != nil || string(msg) != tt.msg {
			t.Errorf("Decrypt round trip = %.20q, %v", msg, err)
		}
	}
	// Vector A also requires: a bad signature is refused.
	if _, err := c.Decrypt("12345", "1409304348", "xxxxxx", tests[0].want); !errors.Is(err, channel.ErrBadSignature) {
		t.Errorf("Decrypt with bad signature: %v", err)
	}
}

func TestNewCrypterRejectsBadKey(t *testing.T) {
	for _, key := range []string{"abcde", keyAZ + "H", strings.Repeat("!", 43)} {
		if _, err := NewCrypter("pamtest", key, "wxb11529c136998cb6"); err == nil {
			t.Errorf("NewCrypter(%q) accepted a bad key", key)
		}
	}
}

func TestDecryptVectors(t *testing.T) {
	tests := []struct {
		name                   string
		token, key, appID      string
		msgSig, ts, nonce, enc string
		want                   string // exact plaintext, or "" to use contains
		contains               []string
	}{
		{
			name: "B echostr", token: "QDG6eK", key: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", appID: "wx5823bf96d3bd56c7",
			msgSig: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", ts: "1409659589", nonce: "263014780",
			enc:  "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
			want: "1616140317555161061",
		},
		{
			name: "C python sample", token: "spamtest", key: keyAZ, appID: "wx2c2769f8efd9abc2",
			msgSig: "5d197aaffba7e9b25a30732f161a50dee96bd5fa", ts: "1409735669", nonce: "1320562132",
			enc:  "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=",
			want: "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[abcdteT]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>",
		},
		{
			name: "D C++ sample", token: "spamtest", key: keyAZ, appID: "wx2c2769f8efd9abc2",
			msgSig: "003fee52ecc56afb46c00b5c7721be87860ce785", ts: "1410349438", nonce: "298025754",
			enc:      "mfBCs65c67CeJw22u4VT2TD73q5H06+ocrAIxswCaeZ/d/Lw0msSZFHY0teqgSYiI1zR2gD2DKrB3TIrmX/liNSDrGqS8jSI/WPeKB5VPr7Ezr7gomZAyGCwJSgT1TRFWPfONGJMxuj2nk4faTuspAuVIFQ6SHwZuJBZC7mcJp7Cgr9cUhATQWDbOPaE7ukZBTV2YqyzH+UI2AK+J1S47cE79k1RX8t0hcTz/O0hlK8DGXKnvYv88qKQcI7z4iaajqHfRVZKBNyOODabs+It+ZfM3dWTeFcPgDbGtIEnpt/EDtuuA/zMvtkaKdHdswPnVZQ+xdwbYr3ldGvfT8HlEYEgkgKaThxTFobVlwzu2ZkXCjicbP3xdr15Iq48ObgzPpqYuZ3IEoyggZDKClquk0u0orMck4GTF/XyE8yGzc4=",
			contains: []string{"<CreateTime>1410349438</CreateTime>", "<MsgId>6057404712141979648</MsgId>", "text"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewCrypter(tt.token, tt.key, tt.appID)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Decrypt(tt.msgSig, tt.ts, tt.nonce, tt.enc)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" && string(got) != tt.want {
				t.Errorf("Decrypt = %q, want %q", got, tt.want)
			}
			for _, s := range tt.contains {
				if !bytes.Contains(got, []byte(s)) {
					t.Errorf("Decrypt = %q, missing %q", got, s)
				}
			}
			// Same ciphertext, another appid: refused.
			other, _ := NewCrypter(tt.token, tt.key, "wx0000000000000000")
			if _, err := other.Decrypt(tt.msgSig, tt.ts, tt.nonce, tt.enc); !errors.Is(err, ErrAppIDMismatch) || !errors.Is(err, channel.ErrBadSignature) {
				t.Errorf("Decrypt for another appid: %v", err)
			}
		})
	}
}

func TestVectorEEndToEnd(t *testing.T) {
	c, err := NewCrypter("AAAAA", strings.Repeat("A", 43), "wx134c8103faa5a59e")
	if err != nil {
		t.Fatal(err)
	}
	enc, err := ExtractEncrypt(fixture.Read(t, "push_safe_e.xml"))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := c.Decrypt("6c12a4205838198b8fa631b3220723bb07f1015c", "1715943329", "1590219412", enc)
	if err != nil {
		t.Fatal(err)
	}
	want := "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n<FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>\n<CreateTime>1715943329</CreateTime>\n<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[debug_demo]]></Event>\n<debug_str><![CDATA[hello world]]></debug_str>\n</xml>"
	if string(msg) != want || len(msg) != 292 {
		t.Errorf("Decrypt = %q (%d bytes)", msg, len(msg))
	}
	// Reply: deterministic encryption with the documented random prefix.
	replyMsg := []byte("<xml><demo_resp>[CDATA[good luck]]</demo_resp></xml>")
	r := c.reply(c.seal([]byte("999951349e8ee746"), replyMsg), "1713424427", "415670741")
	if r.Encrypt != "hE8R6mGXHkJJjU72KxzKUd1GEkKJaEZq7vRL8XgK3o+00k8JGq6+pZJUIlTSyhsX+bxIBQ72g3GyvDdIZcr6+3HAZbSvPT9t/o11MI7d6WELwqrGd7jMnV0zv3Zc9Nq7" {
		t.Errorf("reply Encrypt = %s", r.Encrypt)
	}
	if r.MsgSignature != "03e0812039325c2712ef5f0f980fd14c70d6e307" {
		t.Errorf("reply MsgSignature = %s", r.MsgSignature)
	}
	x := string(r.XML())
	for _, s := range []string{"<Encrypt><![CDATA[" + r.Encrypt + "]]></Encrypt>", "<MsgSignature><![CDATA[03e0812039325c2712ef5f0f980fd14c70d6e307]]></MsgSignature>", "<TimeStamp>1713424427</TimeStamp>", "<Nonce><![CDATA[415670741]]></Nonce>"} {
		if !strings.Contains(x, s) {
			t.Errorf("reply XML %s lacks %s", x, s)
		}
	}
}

func TestEncryptReplyRoundTrip(t *testing.T) {
	c, _ := NewCrypter("tok", keyAZ, "wxapp")
	r, err := c.EncryptReply([]byte("success"), "1700000000", "42")
	if err != nil {
		t.Fatal(err)
	}
	msg, err := c.Decrypt(r.MsgSignature, r.TimeStamp, r.Nonce, r.Encrypt)
	if err != nil || string(msg) != "success" {
		t.Fatalf("round trip = %q, %v", msg, err)
	}
	r2, _ := c.EncryptReply([]byte("success"), "1700000000", "42")
	if r2.Encrypt == r.Encrypt {
		t.Error("EncryptReply reuses its random prefix")
	}
}

// encryptRaw AES-CBC encrypts pt (a multiple of 16 bytes) without framing.
func encryptRaw(c *Crypter, pt []byte) string {
	block, _ := aes.NewCipher(c.key)
	out := make([]byte, len(pt))
	cipher.NewCBCEncrypter(block, c.key[:16]).CryptBlocks(out, pt)
	return base64.StdEncoding.EncodeToString(out)
}

func TestDecryptMalformed(t *testing.T) {
	c, _ := NewCrypter("tok", keyAZ, "wxapp")
	pad := func(b []byte) []byte {
		n := blockSize - len(b)%blockSize
		return append(b, bytes.Repeat([]byte{byte(n)}, n)...)
	}
	// Flipping the last byte of the next-to-last block flips exactly the
	// padding byte of the plaintext: 0x05 becomes 0xfa.
	good, _ := base64.StdEncoding.DecodeString(c.seal([]byte("0123456789abcdef"), []byte("hi")))
	good[len(good)-17] ^= 0xff
	tests := []struct{ name, enc string }{
		{"not base64", "!!!"},
		{"not whole blocks", "AAAA"},
		{"empty", ""},
		{"bad padding", base64.StdEncoding.EncodeToString(good)},
		{"zero padding", encryptRaw(c, make([]byte, 32))},
		{"length beyond data", encryptRaw(c, pad(append([]byte("0123456789abcdef\x00\x00\x10\x00"), "wxapp"...)))},
		{"too short", encryptRaw(c, pad([]byte("0123456789")))},
	}
	for _, tt := range tests {
		sig := Signature("tok", "1", "2", tt.enc)
		if _, err := c.Decrypt(sig, "1", "2", tt.enc); !errors.Is(err, channel.ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", tt.name, err)
		}
	}
}

func TestExtractEncrypt(t *testing.T) {
	tests := []struct {
		body string
		want string
		ok   bool
	}{
		{`<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[abc=]]></Encrypt></xml>`, "abc=", true},
		{`{"ToUserName":"gh_1","Encrypt":"abc="}`, "abc=", true},
		{`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>&e;</Encrypt></xml>`, "", false},
		{`<xml><ToUserName>gh_1</ToUserName></xml>`, "", false},
		{`{"Encrypt":`, "", false},
		{`success`, "", false},
	}
	for _, tt := range tests {
		got, err := ExtractEncrypt([]byte(tt.body))
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ExtractEncrypt(%.30q) = %q, %v", tt.body, got, err)
		}
		if !tt.ok && !errors.Is(err, channel.ErrMalformed) {
			t.Errorf("ExtractEncrypt(%.30q) error %v is not ErrMalformed", tt.body, err)
		}
	}
}

func TestCrypterPrintsNoSecret(t *testing.T) {
	c, _ := NewCrypter("tok-secret", keyAZ, "wxapp")
	for _, s := range []string{c.String(), c.GoString()} {
		if strings.Contains(s, "tok-secret") || strings.Contains(s, "abcdefgh") {
			t.Errorf("Crypter prints a secret: %s", s)
		}
	}
}
