package source

import (
	"bytes"
	"strings"
)

// fastFront decodes the front matter most notes have, a few lines of
// "key: value" with a title, tags and the like, without the YAML
// decoder, which took a quarter of a second of every 10,000 notes' load.
// It reports false for anything else (other keys, other value forms,
// any byte outside printable ASCII), which decodeFront then gives to the
// YAML decoder: FuzzFastFront checks that what it accepts, the decoder
// reads alike.
func fastFront(text []byte) (FrontMatter, bool) {
	fm := FrontMatter{Extra: map[string]any{}}
	if len(bytes.TrimSpace(text)) == 0 {
		return fm, false
	}
	for _, c := range text {
		if (c < ' ' || c > '~') && c != '\n' {
			return fm, false
		}
	}
	var seen [4]bool // the fields set, by key: two keys of one field merge in no fixed order
	for line := range bytes.Lines(text) {
		line = bytes.TrimSuffix(line, []byte("\n"))
		if len(line) == 0 {
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || !isKey(line[:colon]) {
			return fm, false
		}
		rest := line[colon+1:]
		if len(rest) > 0 && rest[0] != ' ' {
			return fm, false
		}
		value := strings.Trim(string(rest), " ")
		field := -1
		switch strings.ToLower(string(line[:colon])) {
		case "title":
			field = 0
		case "date":
			field = 1
		case "tags", "tag":
			field = 2
		case "categories", "category":
			field = 3
		}
		if field < 0 || seen[field] {
			return fm, false
		}
		seen[field] = true
		var items []string
		if strings.HasPrefix(value, "[") {
			if field < 2 {
				return fm, false // a title that is a list: the decoder's rules
			}
			var ok bool
			if items, ok = flowItems(value); !ok {
				return fm, false
			}
		} else {
			s, ok := scalarValue(value, false)
			if !ok {
				return fm, false
			}
			if s != "" {
				items = []string{s}
			}
		}
		switch field {
		case 0:
			if len(items) > 0 {
				fm.Title = strings.TrimSpace(items[0])
			}
		case 1:
			if len(items) > 0 {
				fm.Date = items[0]
			}
		case 2:
			fm.Tags = trimmedItems(items)
		case 3:
			fm.Categories = trimmedItems(items)
		}
	}
	return fm, true
}

// isKey reports whether k is a plain key of letters, digits and '_'.
func isKey(k []byte) bool {
	for i, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return len(k) > 0
}

// scalarValue reads a value of one line: "" (null), a quoted string with
// no escapes and no quote in it, or a plain word-like scalar that YAML
// reads as a string: one that starts with a letter, holds letters,
// digits, spaces and "_.-" only, and is not a boolean or null. In a flow
// list (inFlow) the same rules hold.
func scalarValue(v string, inFlow bool) (string, bool) {
	if v == "" {
		return "", !inFlow
	}
	switch q := v[0]; q {
	case '"', '\'':
		if len(v) < 2 || v[len(v)-1] != q {
			return "", false
		}
		inner := v[1 : len(v)-1]
		if strings.ContainsAny(inner, "\"'\\") {
			return "", false
		}
		return inner, true
	}
	c := v[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return "", false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ' || c == '_' || c == '.' || c == '-') {
			return "", false
		}
	}
	switch strings.ToLower(v) {
	case "true", "false", "null", "yes", "no", "on", "off", "y", "n":
		return "", false
	}
	return v, true
}

// flowItems reads a one-line flow list, "[a, b]", of scalarValue items.
func flowItems(v string) ([]string, bool) {
	if !strings.HasSuffix(v, "]") {
		return nil, false
	}
	inner := strings.Trim(v[1:len(v)-1], " ")
	if inner == "" {
		return nil, true
	}
	var items []string
	for item := range strings.SplitSeq(inner, ",") {
		s, ok := scalarValue(strings.Trim(item, " "), true)
		if !ok {
			return nil, false
		}
		items = append(items, s)
	}
	return items, true
}

// trimmedItems is list's result for the items of a list: each trimmed,
// the empty ones dropped.
func trimmedItems(items []string) []string {
	var out []string
	for _, s := range items {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
