package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// Argon2id parameters: OWASP's recommended minimum for argon2id (19 MiB,
// two passes, one lane), about 30 ms a hash here. They are written into
// every hash, so raising them later keeps old hashes valid.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password limits (OWASP ASVS 2.1.1 and 2.1.2): at least 12 characters,
// at most 128, every character allowed, no composition rules.
const (
	MinPassword = 12
	MaxPassword = 128
)

// CheckPassword refuses a password that is too short, too long, or one of
// the most common ones, with a message in bokmål.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPassword:
		return fault.WithUser(fault.Invalid, fmt.Sprintf("Passordet må ha minst %d tegn.", MinPassword), errors.New("password too short"))
	case n > MaxPassword:
		return fault.WithUser(fault.Invalid, fmt.Sprintf("Passordet kan ha høyst %d tegn.", MaxPassword), errors.New("password too long"))
	case common(pw):
		return fault.WithUser(fault.Invalid, "Passordet er blant de mest brukte og lette å gjette. Velg et annet.", errors.New("common password"))
	}
	return nil
}

// common reports whether pw is one of the passwords that lead every list
// of leaked passwords, in any case, or one character repeated.
func common(pw string) bool {
	l := strings.ToLower(pw)
	if strings.Count(l, l[:1]) == len(l) {
		return true
	}
	for _, c := range []string{
		"123456789012", "1234567890123", "12345678901234", "qwertyuiopas", "passwordpassword",
		"password1234", "passord12345", "passord123456", "sommer123456", "vinter123456",
		"administrator", "qwerty123456", "abcdefghijkl", "iloveyou1234", "letmein12345",
		"welcome12345", "velkommen123", "velkommen1234", "grunnlag1234", "grunnlag12345",
	} {
		if l == c {
			return true
		}
	}
	return false
}

// HashPassword returns an argon2id hash of pw in the PHC string format.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// dummyHash is checked against when there is no user or no password, so
// that a sign-in takes as long whether or not the account exists.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$7HusTjf3KHcPK+ssqPrndA$IHU/wCX+cXRCSEtVMbaqBcSt65y22aMN1og49hRyt3o"

// VerifyPassword reports whether pw matches hash. An empty or malformed
// hash matches nothing, after the same work as a real one.
func VerifyPassword(hash, pw string) bool {
	ok := hash != ""
	if !ok {
		hash = dummyHash
	}
	var v, m, t, p int
	var salt, key string
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		ok, parts = false, strings.Split(dummyHash, "$")
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		ok = false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m <= 0 || m > 1<<20 || t <= 0 || t > 16 || p <= 0 || p > 16 {
		ok, m, t, p = false, argonMemory, argonTime, argonThreads
	}
	salt, key = parts[4], parts[5]
	b64 := base64.RawStdEncoding
	saltB, err1 := b64.DecodeString(salt)
	keyB, err2 := b64.DecodeString(key)
	if err1 != nil || err2 != nil || len(keyB) == 0 {
		ok, saltB, keyB = false, make([]byte, argonSaltLen), make([]byte, argonKeyLen)
	}
	got := argon2.IDKey([]byte(pw), saltB, uint32(t), uint32(m), uint8(p), uint32(len(keyB)))
	return subtle.ConstantTimeCompare(got, keyB) == 1 && ok
}
