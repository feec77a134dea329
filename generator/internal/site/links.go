package site

import (
	"bytes"
	"html"
	"net/url"
	"path"
	"strings"

	"github.com/gen-site/gen/generator/internal/diag"
)

// attrValues returns the values of every attribute name (given with its
// leading space and `="`, as in ` href="`) in an HTML page.
func attrValues(page []byte, attr string) []string {
	var out []string
	eachAttr(page, attr, func(v []byte) { out = append(out, html.UnescapeString(string(v))) })
	return out
}

// eachAttr calls f with the raw value of every attribute attr (as for
// attrValues) in an HTML page.
func eachAttr(page []byte, attr string, f func(value []byte)) {
	a := []byte(attr)
	for rest := page; ; {
		i := bytes.Index(rest, a)
		if i < 0 {
			return
		}
		rest = rest[i+len(a):]
		j := bytes.IndexByte(rest, '"')
		if j < 0 {
			return
		}
		f(rest[:j])
		rest = rest[j:]
	}
}

// checkLinks reads every page made and reports each internal link whose
// page or anchor does not exist. Links written in notes were checked, with
// their line, before rendering; what is left to find here are links the
// templates and the graph make (an entity, a comparison, a source line),
// so the page path is the best location to give. html/template and
// goldmark both write attributes in double quotes, which lets a plain
// search stand in for an HTML parser.
func (b *builder) checkLinks(diags *diag.List) {
	ids := map[string]map[string]bool{}
	exists := map[string]bool{}
	for _, f := range b.files {
		exists[f.Path] = true
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		set := map[string]bool{}
		for _, id := range attrValues(f.Data, ` id="`) {
			set[id] = true
		}
		ids[f.Path] = set
	}
	for p := range b.assets {
		exists[b.assets[p]] = true
	}
	for _, f := range b.files {
		if !strings.HasSuffix(f.Path, ".html") {
			continue
		}
		reported := map[string]bool{}
		for _, ref := range attrValues(f.Data, ` href="`) {
			target, frag, ok := b.resolve(f.Path, ref)
			if !ok || reported[ref] {
				continue
			}
			bad := ""
			switch {
			case !exists[target]:
				if target == "search.html" {
					continue // made by the search stage, after the pages
				}
				bad = "page"
			case frag != "" && strings.HasSuffix(target, ".html") && !ids[target][frag]:
				bad = "anchor"
			}
			if bad != "" {
				reported[ref] = true
				b.linkProblem(diags, f.Path, 0, "link to a missing %s %q", bad, ref)
			}
		}
	}
}

// resolve turns a reference found on the page at pagePath into a path from
// the site root and a fragment. It reports false for references that leave
// the site and for ones it cannot judge.
func (b *builder) resolve(pagePath, ref string) (target, frag string, ok bool) {
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return "", "", false
	}
	frag = u.Fragment
	if u.Path == "" {
		return pagePath, frag, frag != ""
	}
	var p string
	if strings.HasPrefix(u.Path, "/") {
		rest, ok := strings.CutPrefix(u.Path, b.basePath)
		if !ok {
			return "", "", false // outside the site: not ours to judge
		}
		p = path.Join(".", rest)
	} else {
		p = path.Join(path.Dir(pagePath), u.Path)
	}
	if p == "." || strings.HasSuffix(u.Path, "/") {
		p = path.Join(p, "index.html")
	}
	if strings.HasPrefix(p, "../") {
		return "", "", false
	}
	return p, frag, true
}
