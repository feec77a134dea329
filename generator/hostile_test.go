package generator

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gen-site/gen/generator/internal/htmltest"
	"golang.org/x/net/html"
)

// hostileNotes are notes, front matter and a catalog written to run
// script in the site's pages. None may.
var hostileNotes = fstest.MapFS{
	"notes/raw.md": {Data: []byte(`# Raw HTML <script>alert(1)</script>

<script>alert("block")</script>

<div onclick="alert(2)">click</div>

Inline <img src=x onerror=alert(3)> and <a href="javascript:alert(4)">a</a>.

<!-- a comment <script>alert(5)</script> -->

<iframe src="https://evil.example/"></iframe>
`)},
	"notes/links.md": {Data: []byte(`# Links

[js](javascript:alert(6)) [JS](JaVaScRiPt:alert(7)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==)
[vb](vbscript:msgbox) ![img](javascript:alert(9)) <javascript:alert(10)>

* Kinesis Data Firehose "><script>alert(11)</script>
`)},
	"notes/front.md": {Data: []byte("---\ntitle: '<script>alert(12)</script>'\ntags: ['\"><img src=x onerror=alert(13)>']\n---\n# Front\n\ntext\n")},
	"catalog.yaml": {Data: []byte(`categories:
  - id: collection
    name: Collection <script>alert(14)</script>
    summary: '<img src=x onerror=alert(15)>'
entities:
  - id: kinesis-data-firehose
    name: Amazon Data Firehose
    kind: service
    category: collection
    aliases: [Kinesis Data Firehose]
    summary: Loads streams "><script>alert(16)</script>
    docs: https://docs.aws.amazon.com/firehose/
topics:
  - id: overview
    name: Overview
    words: [overview]
`)},
}

// TestHostileContent builds the hostile notes and checks every page: no
// script but the site's own files, no inline event handler, no
// javascript:, vbscript: or data: link, no iframe.
func TestHostileContent(t *testing.T) {
	res, err := Build(context.Background(), Options{Content: hostileNotes})
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, f := range res.Files {
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		pages++
		doc, err := html.Parse(bytes.NewReader(f.Data))
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				switch n.Data {
				case "script":
					src, typ := attr(n, "src"), attr(n, "type")
					if src == "" && typ != "application/json" {
						t.Errorf("%s: inline script %q", f.Path, htmltest.Text(n))
					}
					if src != "" && (strings.Contains(src, ":") || strings.HasPrefix(src, "//")) {
						t.Errorf("%s: script from elsewhere: %q", f.Path, src)
					}
				case "iframe", "object", "embed":
					t.Errorf("%s: <%s> in a page", f.Path, n.Data)
				}
				for _, a := range n.Attr {
					if strings.HasPrefix(strings.ToLower(a.Key), "on") {
						t.Errorf("%s: <%s %s=%q>", f.Path, n.Data, a.Key, a.Val)
					}
					if a.Key == "href" || a.Key == "src" || a.Key == "action" || a.Key == "formaction" {
						v := strings.ToLower(strings.TrimSpace(a.Val))
						for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
							if strings.HasPrefix(v, scheme) {
								t.Errorf("%s: <%s %s=%q>", f.Path, n.Data, a.Key, a.Val)
							}
						}
					}
				}
			}
			if n.Type == html.CommentNode && strings.Contains(n.Data, "script") {
				// Comments cannot run, but a raw comment from a note means
				// raw HTML went through.
				t.Errorf("%s: a note's HTML comment reached the page: %q", f.Path, n.Data)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
	}
	if pages < 4 {
		t.Errorf("only %d pages built", pages)
	}
}

// attr returns an attribute of n, or "".
func attr(n *html.Node, key string) string {
	v, _ := htmltest.Attr(n, key)
	return v
}
