package registry

// GS1CheckDigit is the GS1 mod-10 check digit of a string of digits (GTIN,
// GLN, SSCC bodies): one implementation for the EPCIS importer and the
// verifier's readable identifiers.
func GS1CheckDigit(digits string) byte {
	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// AllDigits reports whether s is a non-empty string of ASCII digits.
func AllDigits(s string) bool { return allDigits(s) }
