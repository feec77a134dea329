package graph

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Quantity is a number with a unit that a fact states, with the attribute
// it measures.
type Quantity struct {
	Attribute string  // retention, latency, size, throughput, duration, or "" when unknown
	Qualifier string  // max, min, default, or ""
	Value     float64 // in the base unit: seconds, bytes, bytes/s or items/s
	Unit      string  // s, B, B/s, /s or ""
	Text      string  // as written
}

// Key is the attribute and qualifier, the unit of comparison between
// notes: "retention (max)".
func (q Quantity) Key() string {
	if q.Qualifier == "" {
		return q.Attribute
	}
	return q.Attribute + " (" + q.Qualifier + ")"
}

// Display is the value in the most readable unit: "7 days", "1 MB/s".
func (q Quantity) Display() string {
	switch q.Unit {
	case "s":
		for _, u := range []struct {
			n    string
			secs float64
		}{{"days", 86400}, {"hours", 3600}, {"minutes", 60}, {"seconds", 1}, {"ms", 0.001}} {
			// Days from two days up; a day reads better as 24 hours, as
			// notes write it.
			if u.n == "days" && q.Value < 2*86400 {
				continue
			}
			if q.Value >= u.secs && isRound(q.Value/u.secs) {
				return fmtNum(q.Value/u.secs) + " " + singular(u.n, q.Value/u.secs)
			}
		}
		return fmtNum(q.Value*1000) + " ms"
	case "B", "B/s":
		suffix := ""
		if q.Unit == "B/s" {
			suffix = "/s"
		}
		for _, u := range []struct {
			n string
			b float64
		}{{"PB", 1e15}, {"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}} {
			if q.Value >= u.b {
				return fmtNum(q.Value/u.b) + " " + u.n + suffix
			}
		}
		return fmtNum(q.Value) + " bytes" + suffix
	case "/s":
		return fmtNum(q.Value) + "/s"
	}
	return q.Text
}

func isRound(f float64) bool { return f == float64(int64(f)) }

func singular(unit string, v float64) string {
	if v == 1 && strings.HasSuffix(unit, "s") && unit != "ms" {
		return strings.TrimSuffix(unit, "s")
	}
	return unit
}

func fmtNum(f float64) string {
	if isRound(f) {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

var quantityRE = regexp.MustCompile(`(?i)(\d+(?:,\d{3})*(?:\.\d+)?)\s*(milliseconds?|ms|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|kib|mib|gib|tib|kb|mb|gb|tb|pb|eb|bytes?|mega|giga|k|s|h)?\b(\s*/\s*(?:s|sec|second)\b|\s+per\s+sec(?:ond)?\b|\s*/\s*s\b)?`)

var countPerSecRE = regexp.MustCompile(`(?i)^\s*(?:messages?|records?|requests?|transactions?|api calls?|calls?|reqs?)\s*(?:/\s*(?:s|sec|second)\b|per\s+sec(?:ond)?\b)`)

// Quantities finds the numbers with units in a fact and what they measure.
func Quantities(text string) []Quantity {
	// Every match starts with a digit: a text without one, most of them,
	// need not run the regexp.
	if !mayHaveQuantity(text) {
		return nil
	}
	return quantities(text)
}

// quantities is Quantities without its look for a number a quantity
// could follow.
func quantities(text string) []Quantity {
	if !strings.ContainsAny(text, "0123456789") {
		return nil
	}
	lower := strings.ToLower(text)
	var out []Quantity
	for _, m := range quantityRE.FindAllStringSubmatchIndex(text, -1) {
		numText := strings.ReplaceAll(text[m[2]:m[3]], ",", "")
		v, err := strconv.ParseFloat(numText, 64)
		if err != nil {
			continue
		}
		unit := ""
		if m[4] >= 0 {
			unit = strings.ToLower(text[m[4]:m[5]])
		}
		perSec := m[6] >= 0
		q := Quantity{Text: strings.TrimSpace(text[m[0]:m[1]])}
		switch base, kind := unitScale(unit); kind {
		case "time":
			q.Value, q.Unit = v*base, "s"
		case "bytes":
			q.Value, q.Unit = v*base, "B"
			if perSec {
				q.Unit = "B/s"
			}
		default:
			rest := text[m[1]:]
			if loc := countPerSecRE.FindStringIndex(rest); loc != nil {
				q.Value, q.Unit = v, "/s"
				q.Text = strings.TrimSpace(text[m[0] : m[1]+loc[1]])
			} else {
				continue // a bare number: a count or a version, not compared
			}
		}
		before := lower[max(0, m[0]-40):m[0]]
		q.Attribute = attributeOf(q, lower)
		q.Qualifier = qualifierOf(before, lower[m[1]:min(len(lower), m[1]+25)])
		out = append(out, q)
	}
	// In a range ("24 hours to 365 days", "1 to 14 days") the first number
	// is the minimum and the last the maximum.
	if len(out) == 2 && out[0].Unit == out[1].Unit && out[0].Attribute == out[1].Attribute &&
		rangeBetween(text, out[0].Text, out[1].Text) {
		if out[0].Qualifier == "" || out[0].Qualifier == "max" {
			out[0].Qualifier = "min"
		}
		out[1].Qualifier = "max"
	}
	return out
}

// mayHaveQuantity reports whether a number in text is followed, after
// spaces, by what a quantity needs next: a unit or the word of a count
// per second (a letter, or a byte of one the regexp's case folding may
// take for a letter) or the slash of "/s". A number followed by anything
// else matches quantityRE but gives no quantity, and the facts that name
// "S3" or "EC2" need not run it.
func mayHaveQuantity(text string) bool {
	for i := 0; i < len(text); i++ {
		if text[i] < '0' || text[i] > '9' {
			continue
		}
		j := i
		for j < len(text) && (text[j] >= '0' && text[j] <= '9' || text[j] == ',' || text[j] == '.') {
			j++
		}
		for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '\f' || text[j] == '\r') {
			j++
		}
		if j < len(text) {
			if c := text[j]; 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '/' || c >= utf8.RuneSelf {
				return true
			}
		}
		i = j - 1 // text[j] may start another number: "5 6 MB"
	}
	return false
}

// rangeBetween reports whether "a to b", "a - b" or "a up to b" joins the
// two quantities.
func rangeBetween(text, a, b string) bool {
	i := strings.Index(text, a)
	j := strings.LastIndex(text, b)
	if i < 0 || j < 0 || j <= i+len(a) {
		return false
	}
	mid := strings.ToLower(strings.TrimSpace(text[i+len(a) : j]))
	switch mid {
	case "to", "-", "–", "up to", "upto", "and", "<->", "or up to":
		return true
	}
	return false
}

// unitScale returns the factor to the base unit and the kind of unit.
func unitScale(u string) (float64, string) {
	switch u {
	case "ms", "millisecond", "milliseconds":
		return 0.001, "time"
	case "s", "sec", "secs", "second", "seconds":
		return 1, "time"
	case "min", "mins", "minute", "minutes":
		return 60, "time"
	case "h", "hr", "hrs", "hour", "hours":
		return 3600, "time"
	case "day", "days":
		return 86400, "time"
	case "week", "weeks":
		return 7 * 86400, "time"
	case "month", "months":
		return 30 * 86400, "time"
	case "year", "years":
		return 365 * 86400, "time"
	case "byte", "bytes":
		return 1, "bytes"
	case "k", "kb", "kib":
		return 1e3, "bytes"
	case "mb", "mib", "mega":
		return 1e6, "bytes"
	case "gb", "gib", "giga":
		return 1e9, "bytes"
	case "tb", "tib":
		return 1e12, "bytes"
	case "pb":
		return 1e15, "bytes"
	case "eb":
		return 1e18, "bytes"
	}
	return 0, ""
}

// attributeOf says what a quantity measures, from its unit and the words
// of its fact.
func attributeOf(q Quantity, lower string) string {
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(lower, w) {
				return true
			}
		}
		return false
	}
	switch q.Unit {
	case "s":
		switch {
		case has("retention", "retain", "stored for", "storage for", "storegae", "rettion", "rention", "keep data", "lifetime"):
			return "retention"
		case has("latency") || q.Value < 1:
			return "latency"
		}
		return "duration"
	case "B":
		if has("size", "up to", "upto", "max", "record", "message", "item", "object", "payload", "blob", "bloc", "data") {
			return "size"
		}
		return "capacity"
	case "B/s", "/s":
		return "throughput"
	}
	return ""
}

func qualifierOf(before, after string) string {
	b := strings.TrimSpace(before)
	for _, w := range []string{"up to", "upto", "maximum", "max", "can go", "extended to", "limit", "as large as", "until", "to"} {
		if strings.HasSuffix(b, w) || strings.HasSuffix(b, w+":") || strings.HasSuffix(b, w+" of") {
			return "max"
		}
	}
	for _, w := range []string{"minimum", "min", "at least", "lowest"} {
		if strings.HasSuffix(b, w) || strings.HasSuffix(b, w+" of") || strings.Contains(b, w) {
			return "min"
		}
	}
	if strings.Contains(after, "by default") || strings.Contains(after, "default") || strings.HasSuffix(b, "default") || strings.Contains(b, "default") {
		return "default"
	}
	if strings.Contains(b, "maximum") || strings.Contains(b, "max") || strings.Contains(b, "up to") {
		return "max"
	}
	return ""
}

// String is for debugging.
func (q Quantity) String() string {
	return fmt.Sprintf("%s=%s", q.Key(), q.Display())
}
