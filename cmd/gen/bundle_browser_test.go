package main

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBundleInChromium builds the offline bundle of the bundled notes with
// gen bundle, unzips it and reads it from file:// in headless Chromium
// (browsertest/bundle.mjs): links, a note line, search for a word and a
// typo, a result, the theme, no console error and no request outside the
// bundle. It skips without Chromium or the npm packages, except in CI.
func TestBundleInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	chromium := cmp.Or(os.Getenv("GEN_CHROMIUM"), "/usr/bin/chromium")
	script, _ := filepath.Abs("../../browsertest/bundle.mjs")
	missing := ""
	if _, err := os.Stat(chromium); err != nil {
		missing = chromium
	} else if _, err := exec.LookPath("node"); err != nil {
		missing = "node"
	} else if _, err := os.Stat("../../browsertest/node_modules/playwright-core"); err != nil {
		missing = "browsertest/node_modules"
	}
	if missing != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no %s: run browsertest/install.sh", missing)
		}
		t.Skipf("no %s: run browsertest/install.sh", missing)
	}
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "gen-site.zip")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"bundle", "--content", "../../content", "--out", zipPath, "--quiet"}, &stdout, &stderr); code != 0 {
		t.Fatalf("gen bundle: exit %d: %s", code, stderr.String())
	}
	unzip(t, zipPath, dir)
	site := filepath.Join(dir, "gen-site")
	// Nothing in the bundle may point at the network or at the root of the
	// file system.
	_ = filepath.Walk(site, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, bad := range []string{`href="/`, `src="/`, `href="http://127`, `rel="canonical"`} {
			if bytes.Contains(b, []byte(bad)) {
				t.Errorf("%s holds %s", p, bad)
			}
		}
		return nil
	})
	cfg, _ := json.Marshal(map[string]string{"dir": site, "chromium": chromium})
	cfgPath := filepath.Join(dir, "bundle.json")
	if err := os.WriteFile(cfgPath, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script, cfgPath)
	cmd.Dir = filepath.Dir(script)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("bundle checks failed: %v", err)
	}
}

func unzip(t *testing.T, zipPath, dir string) {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if strings.Contains(f.Name, "..") || filepath.IsAbs(f.Name) {
			t.Fatalf("unsafe name in the zip: %q", f.Name)
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
