package wechat

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/open12315/intake/shared/channel"
)

// ErrAppIDMismatch means a decrypted push was addressed to another appid.
// It wraps channel.ErrBadSignature.
var ErrAppIDMismatch = fmt.Errorf("wechat: appid mismatch: %w", channel.ErrBadSignature)

// blockSize is the PKCS#7 block size WeChat uses: 32, not AES's 16.
const blockSize = 32

// Signature returns the WeChat push signature: the hex SHA-1 of token and
// parts sorted lexicographically and concatenated. With parts timestamp and
// nonce it is the plain-mode signature; adding the Encrypt field gives the
// safe-mode msg_signature.
func Signature(token string, parts ...string) string {
	s := append([]string{token}, parts...)
	sort.Strings(s)
	sum := sha1.Sum([]byte(strings.Join(s, "")))
	return hex.EncodeToString(sum[:])
}

// VerifySignature checks a plain-mode push or the GET URL verification
// (signature, timestamp, nonce query parameters) in constant time. On a
// valid GET verification the handler must answer echostr unchanged.
func VerifySignature(token, timestamp, nonce, signature string) bool {
	if token == "" {
		return false
	}
	return equal(Signature(token, timestamp, nonce), signature)
}

func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(strings.ToLower(b))) == 1
}

// Crypter verifies, decrypts and encrypts safe-mode (AES) pushes.
type Crypter struct {
	token string
	key   []byte // 32 bytes; the IV is key[:16]
	appID string
}

// NewCrypter returns a Crypter for the push Token, the 43-character
// EncodingAESKey and the receiving appid.
func NewCrypter(token, encodingAESKey, appID string) (*Crypter, error) {
	if token == "" || appID == "" {
		return nil, errors.New("wechat: crypter: token and appid are required")
	}
	if len(encodingAESKey) != 43 {
		return nil, fmt.Errorf("wechat: crypter: EncodingAESKey must be 43 characters, got %d", len(encodingAESKey))
	}
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, errors.New("wechat: crypter: EncodingAESKey is not valid base64")
	}
	return &Crypter{token: token, key: key, appID: appID}, nil
}

// String describes c without its key or token.
func (c *Crypter) String() string { return "wechat.Crypter{appid:" + c.appID + "}" }

// GoString is String.
func (c *Crypter) GoString() string { return c.String() }

// VerifyMsgSignature checks msg_signature over the token, timestamp, nonce
// and the Encrypt field, in constant time.
func (c *Crypter) VerifyMsgSignature(msgSignature, timestamp, nonce, encrypt string) bool {
	return equal(Signature(c.token, timestamp, nonce, encrypt), msgSignature)
}

// Decrypt verifies msg_signature and returns the plaintext message of a
// safe-mode push (or of an encrypted echostr). Errors wrap
// channel.ErrBadSignature (signature or appid mismatch) or
// channel.ErrMalformed (bad base64, padding or length).
func (c *Crypter) Decrypt(msgSignature, timestamp, nonce, encrypt string) ([]byte, error) {
	if !c.VerifyMsgSignature(msgSignature, timestamp, nonce, encrypt) {
		return nil, fmt.Errorf("wechat: decrypt: msg_signature mismatch: %w", channel.ErrBadSignature)
	}
	msg, appID, err := c.open(encrypt)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(appID), []byte(c.appID)) != 1 {
		return nil, ErrAppIDMismatch
	}
	return msg, nil
}

// open decrypts: AES-256-CBC, PKCS#7 (K=32), random(16) | len(4, BE) | msg | appid.
func (c *Crypter) open(encrypt string) (msg []byte, appID string, err error) {
	bad := func(why string) error { return fmt.Errorf("wechat: decrypt: %s: %w", why, channel.ErrMalformed) }
	ct, err := base64.StdEncoding.DecodeString(encrypt)
	if err != nil {
		return nil, "", bad("Encrypt is not base64")
	}
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, "", bad("ciphertext is not whole blocks")
	}
	block, err := aes.NewCipher(c.key)
	if err != nil {
		return nil, "", err
	}
	pt := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, c.key[:aes.BlockSize]).CryptBlocks(pt, ct)
	pad := int(pt[len(pt)-1])
	if pad < 1 || pad > blockSize || pad > len(pt) {
		return nil, "", bad("bad padding")
	}
	pt = pt[:len(pt)-pad]
	if len(pt) < 20 {
		return nil, "", bad("plaintext too short")
	}
	n := binary.BigEndian.Uint32(pt[16:20])
	if uint64(n) > uint64(len(pt)-20) {
		return nil, "", bad("bad message length")
	}
	return pt[20 : 20+n], string(pt[20+n:]), nil
}

// Encrypt returns the base64 Encrypt field for msg with a fresh random
// prefix.
func (c *Crypter) Encrypt(msg []byte) (string, error) {
	random := make([]byte, 8)
	if _, err := rand.Read(random); err != nil {
		return "", fmt.Errorf("wechat: encrypt: %w", err)
	}
	// WeChat's samples use a printable 16-byte prefix; any 16 bytes work.
	return c.seal([]byte(hex.EncodeToString(random)), msg), nil
}

// seal encrypts random(16) | len | msg | appid.
func (c *Crypter) seal(random, msg []byte) string {
	var buf bytes.Buffer
	buf.Write(random)
	binary.Write(&buf, binary.BigEndian, uint32(len(msg)))
	buf.Write(msg)
	buf.WriteString(c.appID)
	pad := blockSize - buf.Len()%blockSize
	buf.Write(bytes.Repeat([]byte{byte(pad)}, pad))
	pt := buf.Bytes()
	block, _ := aes.NewCipher(c.key) // key length checked in NewCrypter
	cipher.NewCBCEncrypter(block, c.key[:aes.BlockSize]).CryptBlocks(pt, pt)
	return base64.StdEncoding.EncodeToString(pt)
}

// EncryptedReply is a safe-mode passive reply.
type EncryptedReply struct {
	Encrypt      string `json:"Encrypt"`
	MsgSignature string `json:"MsgSignature"`
	TimeStamp    string `json:"TimeStamp"`
	Nonce        string `json:"Nonce"`
}

// EncryptReply encrypts msg and signs it with timestamp and nonce.
func (c *Crypter) EncryptReply(msg []byte, timestamp, nonce string) (EncryptedReply, error) {
	enc, err := c.Encrypt(msg)
	if err != nil {
		return EncryptedReply{}, err
	}
	return c.reply(enc, timestamp, nonce), nil
}

func (c *Crypter) reply(enc, timestamp, nonce string) EncryptedReply {
	return EncryptedReply{Encrypt: enc, MsgSignature: Signature(c.token, timestamp, nonce, enc), TimeStamp: timestamp, Nonce: nonce}
}

// XML renders r as the XML reply envelope.
func (r EncryptedReply) XML() []byte {
	var b bytes.Buffer
	b.WriteString("<xml><Encrypt><![CDATA[")
	b.WriteString(r.Encrypt) // base64: no "]]>" possible
	b.WriteString("]]></Encrypt><MsgSignature><![CDATA[")
	b.WriteString(r.MsgSignature)
	b.WriteString("]]></MsgSignature><TimeStamp>")
	xml.EscapeText(&b, []byte(r.TimeStamp))
	b.WriteString("</TimeStamp><Nonce><![CDATA[")
	xml.EscapeText(&b, []byte(r.Nonce))
	b.WriteString("]]></Nonce></xml>")
	return b.Bytes()
}

// ExtractEncrypt returns the Encrypt field of a safe-mode push body in XML
// (<xml><Encrypt>…</Encrypt></xml>) or JSON ({"Encrypt":"…"}). Go's XML
// decoder does not expand external entities; DOCTYPEs are refused anyway.
func ExtractEncrypt(body []byte) (string, error) {
	body = bytes.TrimSpace(body)
	var enc string
	switch {
	case bytes.HasPrefix(body, []byte("{")):
		var v struct {
			Encrypt string `json:"Encrypt"`
		}
		if err := json.Unmarshal(body, &v); err != nil {
			return "", fmt.Errorf("wechat: push JSON: %w", channel.ErrMalformed)
		}
		enc = v.Encrypt
	case bytes.HasPrefix(body, []byte("<")):
		if bytes.Contains(body, []byte("<!DOCTYPE")) || bytes.Contains(body, []byte("<!ENTITY")) {
			return "", fmt.Errorf("wechat: push XML with DOCTYPE: %w", channel.ErrMalformed)
		}
		var v struct {
			Encrypt string `xml:"Encrypt"`
		}
		if err := xml.Unmarshal(body, &v); err != nil {
			return "", fmt.Errorf("wechat: push XML: %w", channel.ErrMalformed)
		}
		enc = v.Encrypt
	default:
		return "", fmt.Errorf("wechat: push body is neither XML nor JSON: %w", channel.ErrMalformed)
	}
	if enc == "" {
		return "", fmt.Errorf("wechat: push has no Encrypt field: %w", channel.ErrMalformed)
	}
	return enc, nil
}
