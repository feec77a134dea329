package minify

import (
	"strings"
	"testing"
)

func TestAsset(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // the output must contain it
		notWant  string // and must not contain it
		err      string // or the error must contain it
	}{
		{name: "a.js", in: "// why\nfunction add(first, second) {\n  return first + second;\n}\nwindow.add = add;\n",
			want: "window.add=", notWant: "// why"},
		{name: "keep.js", in: "/*! licence text */\nvar x = 1;\n", want: "licence text"},
		{name: "old.js", in: "var a = window.b != null ? window.b : 1;\n", notWant: "??"},
		{name: "s.css", in: "body {\n  color: #ff0000;\n}\n/* note */\n", want: "body{color:", notWant: "note"},
		{name: "raw.svg", in: "<svg>\n  <g/>\n</svg>\n", want: "<svg>\n  <g/>\n</svg>\n"},
		{name: "bad.js", in: "var ok = 1;\nfunction (\n", err: "bad.js:2:"},
		{name: "bad.css", in: "a { color: red;\n", want: "color:red"}, // CSS recovers, as browsers do
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Asset(tc.name, []byte(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one with %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(got), tc.want) {
				t.Errorf("got %q, want it to contain %q", got, tc.want)
			}
			if tc.notWant != "" && strings.Contains(string(got), tc.notWant) {
				t.Errorf("got %q, want no %q", got, tc.notWant)
			}
			if Applies(tc.name) && len(got) >= len(tc.in) {
				t.Errorf("minified %d bytes into %d", len(tc.in), len(got))
			}
		})
	}
}

// FuzzAsset feeds user assets to the minifier: an error or output, never
// a panic.
func FuzzAsset(f *testing.F) {
	f.Add("a.js", "function f(a){return a}")
	f.Add("a.css", "a{color:red}")
	f.Fuzz(func(t *testing.T, name, in string) {
		_, _ = Asset(name, []byte(in))
	})
}
