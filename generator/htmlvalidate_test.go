package generator

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHTMLValidate runs html-validate (from browsertest/node_modules, the
// standard preset) on one page of every kind built from the bundled
// notes. It skips when the tool is not installed, except in CI.
func TestHTMLValidate(t *testing.T) {
	bin, _ := filepath.Abs("../browsertest/node_modules/.bin/html-validate")
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("html-validate is not installed (run browsertest/install.sh): %v", err)
		}
		t.Skip("html-validate is not installed: run browsertest/install.sh")
	}
	res, err := Build(context.Background(), Options{ContentDir: "../content", BaseURL: "https://notes.example/"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Write(filepath.Join(dir, "site"), res.Files); err != nil {
		t.Fatal(err)
	}
	// One page of each kind, by folder, plus the single pages.
	seen := map[string]bool{}
	var pages []string
	for _, f := range res.Files {
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		kind := filepath.Dir(f.Path)
		if kind == "." {
			kind = f.Path
		}
		if !seen[kind] {
			seen[kind] = true
			pages = append(pages, filepath.Join(dir, "site", f.Path))
		}
	}
	// The biggest service page exercises the most markup.
	pages = append(pages, filepath.Join(dir, "site", "services", "kinesis-data-streams.html"))
	cfg, _ := filepath.Abs("../browsertest/.htmlvalidate.json")
	cmd := exec.Command(bin, append([]string{"--config", cfg}, pages...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("html-validate found problems in %d pages:\n%s", len(pages), out)
	}
	t.Logf("html-validate: %d pages of %d kinds, no error", len(pages), len(seen))
}
