package main

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// classCode turns what a person types for a product class ("Đá mỹ nghệ")
// into the chain's class code ("da-my-nghe"): lower case, Vietnamese
// diacritics removed (đ → d), runs of other characters → "-". A code
// already in that form is returned unchanged.
func classCode(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.TrimSpace(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case r == '.' || r == '_' || r == '-':
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			r = unicode.ToLower(r)
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
			continue
		}
		b.WriteRune(r)
		dash = r == '-'
	}
	return strings.TrimRight(b.String(), "-")
}
