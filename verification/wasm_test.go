package verification_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestBuildsForWebAssembly: the package builds for the browser.
func TestBuildsForWebAssembly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the package for js/wasm")
	}
	out := filepath.Join(t.TempDir(), "verification.a")
	cmd := exec.Command("go", "build", "-tags", "force64bit", "-o", out, ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GOOS=js GOARCH=wasm go build: %v\n%s", err, b)
	}
}
