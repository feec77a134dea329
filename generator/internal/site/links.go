package site

import (
	"bytes"
	"html"
	"net/url"
	"path"
	"slices"
	"strings"
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

// otherIDs returns the ids of a page but its line anchors (lineAnchors),
// sorted and each once.
func otherIDs(page []byte) []string {
	var ids []string
	eachAttr(page, ` id="`, func(v []byte) {
		if len(v) > 1 && v[0] == 'L' {
			if _, ok := lineNumber(string(v[1:])); ok {
				return // a line anchor
			}
		}
		ids = append(ids, html.UnescapeString(string(v)))
	})
	slices.Sort(ids)
	return slices.Compact(ids)
}

// refResolver resolves the references of one page: resolve turns a
// reference found on the page at pagePath into a path from the site root
// and a fragment, and reports false for references that leave the site
// and for ones it cannot judge. A page that cites notes links to a few
// pages at thousands of lines: the path of each distinct reference is
// joined once, and a reference of plain characters is split without
// url.Parse.
type refResolver struct {
	joined map[string]string // path part of a plain reference → target, "" outside the site
}

func (r *refResolver) resolve(basePath, pagePath, ref string) (target, frag string, ok bool) {
	pth, frag, plain := splitPlainRef(ref)
	if !plain {
		u, err := url.Parse(ref)
		if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" {
			return "", "", false
		}
		if u.Path == "" {
			return pagePath, u.Fragment, u.Fragment != ""
		}
		if target, ok = joinRef(basePath, pagePath, u.Path); !ok {
			return "", "", false
		}
		return target, u.Fragment, true
	}
	if pth == "" {
		return pagePath, frag, frag != ""
	}
	if t, seen := r.joined[pth]; seen {
		if t == "" {
			return "", "", false
		}
		return t, frag, true
	}
	target, ok = joinRef(basePath, pagePath, pth)
	if r.joined == nil {
		r.joined = map[string]string{}
	}
	if !ok {
		r.joined[pth] = ""
		return "", "", false
	}
	r.joined[pth] = target
	return target, frag, true
}

// splitPlainRef splits a reference made of characters that url.Parse
// leaves as they are (letters, digits, "-._~/" and one "#"), that has no
// scheme and no host, into its path and fragment; plain is false for
// any other reference, which url.Parse must read.
func splitPlainRef(ref string) (pth, frag string, plain bool) {
	hash := -1
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~', c == '/':
		case c == '#' && hash < 0:
			hash = i
		default:
			return "", "", false
		}
	}
	pth = ref
	if hash >= 0 {
		pth, frag = ref[:hash], ref[hash+1:]
	}
	if strings.HasPrefix(pth, "//") {
		return "", "", false // a host
	}
	return pth, frag, true
}

// joinRef returns the path from the site root of the reference path p
// (not empty) found on the page at pagePath, or false when it leaves the
// site.
func joinRef(basePath, pagePath, p string) (string, bool) {
	var j string
	if strings.HasPrefix(p, "/") {
		rest, ok := strings.CutPrefix(p, basePath)
		if !ok {
			return "", false // outside the site: not ours to judge
		}
		j = path.Join(".", rest)
	} else {
		j = path.Join(path.Dir(pagePath), p)
	}
	if j == "." || strings.HasSuffix(p, "/") {
		j = path.Join(j, "index.html")
	}
	if strings.HasPrefix(j, "../") {
		return "", false
	}
	return j, true
}
