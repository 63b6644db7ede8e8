package registry

import (
	"sort"
	"strings"
)

// MaxScope bounds the message names in one sub-key's scope.
const MaxScope = 32

// mainKeyOnly are the messages a sub-key can never be scoped for: council
// business, key management and the issuing and managing of results stay
// with the agency's main keys.
var mainKeyOnly = []string{"gov/propose", "gov/vote", "key/add-sub", "key/revoke-sub",
	"result/issue", "result/supersede", "result/status"}

// ScopeNames lists the message names a sub-key may be scoped for, sorted.
func ScopeNames() []string {
	var out []string
	for _, k := range msgTable() {
		if !containsString(mainKeyOnly, k.name) {
			out = append(out, k.name)
		}
	}
	sort.Strings(out)
	return out
}

// CheckScope validates a sub-key scope: sorted, unique, known message
// names that a sub-key may hold.
func CheckScope(scope []string) error {
	if len(scope) > MaxScope {
		return Errorf(ErrInvalid, "scope: at most %d message kinds", MaxScope)
	}
	for i, s := range scope {
		if i > 0 && scope[i-1] >= s {
			return Errorf(ErrInvalid, "scope: names must be sorted and unique (%q after %q)", s, scope[i-1])
		}
		if containsString(mainKeyOnly, s) {
			return Errorf(ErrInvalid, "scope: %s is for an agency's main keys only", s)
		}
		known := false
		for _, k := range msgTable() {
			known = known || k.name == s
		}
		if !known {
			return Errorf(ErrInvalid, "scope: unknown message kind %q (known: %s)", s, strings.Join(ScopeNames(), ", "))
		}
	}
	return nil
}

// RequireScope: an official's sub-key signs only the message kinds its
// agency scoped it for (denied by default). Main and council keys are
// governed by their roles.
func (s *Signer) RequireScope(t MsgType) error {
	if s.Key == nil || s.Key.Kind != KeyOfficial {
		return nil
	}
	name := MsgName(t)
	if containsString(s.Key.Scope, name) {
		return nil
	}
	if len(s.Key.Scope) == 0 {
		return Errorf(ErrUnauthorized, "sub-key %s (%s) has no scope: its agency must give it one to sign %s", KeyID(s.PubKey), s.Key.Label, name)
	}
	return Errorf(ErrUnauthorized, "sub-key %s (%s) may sign only %s, not %s", KeyID(s.PubKey), s.Key.Label, strings.Join(s.Key.Scope, ", "), name)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
