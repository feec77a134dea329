package search

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

const notesDir = "../../../content/notes"

// testAliases gives entities their aliases, as the catalog will.
var testAliases = map[string][]string{
	"firehose":  {"KDF", "Kinesis Firehose", "firehouse"},
	"kinesis":   {"Kinesis Data Streams", "KDS"},
	"sqs":       {"Simple Queue Service", "queues"},
	"glacier":   {"S3 Glacier", "cold storage"},
	"redshift":  {"Amazon Redshift", "data warehouse"},
	"emr":       {"Elastic MapReduce", "Hadoop"},
	"dynamodb":  {"DynamoDB", "Dynamo", "NoSQL"},
	"snowball":  {"Snowball Edge", "Snowmobile"},
	"athena":    {"Amazon Athena", "Presto"},
	"lambda":    {"AWS Lambda", "serverless functions"},
	"migration": {"DMS", "Database Migration Service"},
}

var (
	mdHeading  = regexp.MustCompile(`^\s*(?:[*-]\s+)?(#{1,6})\s*(\S.*?)\s*#*\s*$`)
	eqHeading  = regexp.MustCompile(`^\s*=+\s*(\S.*?)\s*=+\s*$`)
	fmBoundary = regexp.MustCompile(`^---\s*$`)
)

// notesCorpus splits the bundled notes into one doc per note and one per
// section (markdown headings, "* ### x" and "=== X ===" lines).
func notesCorpus(t testing.TB) []Doc { return corpusDir(t, notesDir) }

// corpusDir splits every .txt and .md file of dir (recursively).
func corpusDir(t testing.TB, dir string) []Doc {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".txt") || strings.HasSuffix(p, ".md")) {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notes in %s: %v", dir, err)
	}
	sort.Strings(paths)
	var docs []Doc
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		name := strings.TrimSuffix(strings.TrimSuffix(filepath.ToSlash(rel), ".txt"), ".md")
		lines := strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n")
		if len(lines) > 0 && fmBoundary.MatchString(lines[0]) {
			for i := 1; i < len(lines); i++ {
				if fmBoundary.MatchString(lines[i]) {
					lines = lines[i+1:]
					break
				}
			}
		}
		type sec struct {
			level int
			title string
			path  []string
			body  []string
		}
		secs := []*sec{{title: ""}}
		var stack []*sec
		for _, l := range lines {
			level, title := 0, ""
			if m := mdHeading.FindStringSubmatch(l); m != nil {
				level, title = len(m[1]), m[2]
			} else if m := eqHeading.FindStringSubmatch(l); m != nil {
				level, title = 1, m[1]
			}
			if level == 0 {
				cur := secs[len(secs)-1]
				cur.body = append(cur.body, l)
				continue
			}
			for len(stack) > 0 && stack[len(stack)-1].level >= level {
				stack = stack[:len(stack)-1]
			}
			var path []string
			for _, s := range stack {
				path = append(path, s.title)
			}
			s := &sec{level: level, title: title, path: path}
			stack = append(stack, s)
			secs = append(secs, s)
		}
		pageTitle := name
		if len(secs) > 1 {
			pageTitle = secs[1].title
		}
		url := "notes/" + name + "/"
		docs = append(docs, Doc{
			ID: name, URL: url, Title: pageTitle, Body: string(raw), Category: "note",
			Aliases: aliasesFor(pageTitle),
		})
		for i, s := range secs {
			body := strings.TrimSpace(strings.Join(s.body, "\n"))
			if s.title == "" && body == "" {
				continue
			}
			docs = append(docs, Doc{
				ID:       fmt.Sprintf("%s#s%03d", name, i),
				URL:      fmt.Sprintf("%s#s%03d", url, i),
				Title:    pageTitle,
				Section:  s.title,
				Headings: append(append([]string(nil), s.path...), s.title),
				Aliases:  aliasesFor(s.title),
				Body:     body,
				Category: "section",
			})
		}
	}
	return docs
}

func aliasesFor(title string) []string {
	low := strings.ToLower(title)
	var keys []string
	for k := range testAliases {
		if strings.Contains(low, k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		out = append(out, testAliases[k]...)
	}
	return out
}

var wordRe = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{N}'’.\-]*[\p{L}\p{N}]|[\p{L}\p{N}]`)

// vocabulary returns the distinct surface words of docs, in first-seen order.
func vocabulary(docs []Doc) []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range docs {
		for _, f := range []string{d.Title, strings.Join(d.Headings, " "), strings.Join(d.Aliases, " "), d.Body} {
			for _, w := range wordRe.FindAllString(f, -1) {
				if !seen[w] {
					seen[w] = true
					out = append(out, w)
				}
			}
		}
	}
	return out
}

// synthCorpus makes n documents from the notes' vocabulary, deterministically:
// Zipf-distributed body words, titles and headings from the notes' headings,
// some aliases, and about 3% invented words so the dictionary keeps growing.
func synthCorpus(notes []Doc, n int, seed uint64) []Doc {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	words := vocabulary(notes)
	var heads []string
	for _, d := range notes {
		if d.Section != "" {
			heads = append(heads, d.Section)
		}
	}
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(words)-1))
	invent := func() string {
		const letters = "abcdefghijklmnopqrstuvwxyz"
		k := 4 + r.IntN(7)
		b := make([]byte, k)
		for i := range b {
			b[i] = letters[r.IntN(len(letters))]
		}
		return string(b)
	}
	aliasKeys := make([]string, 0, len(testAliases))
	for k := range testAliases {
		aliasKeys = append(aliasKeys, k)
	}
	sort.Strings(aliasKeys)
	docs := make([]Doc, n)
	for i := range docs {
		nb := 10 + r.IntN(140)
		body := make([]string, nb)
		for j := range body {
			if r.IntN(100) < 3 {
				body[j] = invent()
			} else {
				body[j] = words[zipf.Uint64()]
			}
			if r.IntN(12) == 0 {
				body[j] += "."
			}
		}
		d := Doc{
			ID:       fmt.Sprintf("syn%04d", i),
			URL:      fmt.Sprintf("syn/%04d/", i),
			Title:    heads[r.IntN(len(heads))],
			Body:     strings.Join(body, " "),
			Category: "synthetic",
		}
		for k := r.IntN(3); k > 0; k-- {
			d.Headings = append(d.Headings, heads[r.IntN(len(heads))])
		}
		if len(d.Headings) > 0 {
			d.Section = d.Headings[len(d.Headings)-1]
			d.URL += "#" + strings.ReplaceAll(strings.ToLower(d.Section), " ", "-")
		}
		if r.IntN(10) == 0 {
			d.Aliases = testAliases[aliasKeys[r.IntN(len(aliasKeys))]]
		}
		docs[i] = d
	}
	return docs
}

// queryMix returns the fixed-seed query set for docs: single words, prefixes,
// typos, several words, aliases, stop words, absent words and hostile input.
func queryMix(docs []Doc, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 7))
	words := vocabulary(docs)
	var long []string
	for _, w := range words {
		if len([]rune(w)) >= 5 {
			long = append(long, w)
		}
	}
	pick := func(ws []string) string { return ws[r.IntN(len(ws))] }
	var qs []string
	for i := 0; i < 70; i++ { // single words, some with a trailing space
		w := pick(words)
		if i%2 == 0 {
			w += " "
		}
		qs = append(qs, w)
	}
	for i := 0; i < 60; i++ { // prefixes of the word being typed
		w := []rune(pick(long))
		k := 1 + r.IntN(min(6, len(w)))
		qs = append(qs, strings.ToLower(string(w[:k])))
	}
	for i := 0; i < 70; i++ { // one or two edits
		w := []rune(strings.ToLower(pick(long)))
		for e := 0; e < 1+i%2; e++ {
			p := r.IntN(len(w))
			switch r.IntN(4) {
			case 0:
				w[p] = rune('a' + r.IntN(26))
			case 1:
				if len(w) > 1 {
					w = append(w[:p:p], w[p+1:]...)
				}
			case 2:
				w = append(w[:p:p], append([]rune{rune('a' + r.IntN(26))}, w[p:]...)...)
			case 3:
				if p+1 < len(w) {
					w[p], w[p+1] = w[p+1], w[p]
				}
			}
		}
		s := string(w)
		if i%3 == 0 {
			s += " "
		}
		qs = append(qs, s)
	}
	for i := 0; i < 70; i++ { // several words
		k := 2 + r.IntN(3)
		ws := make([]string, k)
		for j := range ws {
			ws[j] = pick(words)
		}
		s := strings.Join(ws, " ")
		if i%3 == 0 {
			s += " "
		}
		qs = append(qs, s)
	}
	qs = append(qs, // aliases and entities
		"KDF", "firehouse", "kinesis firehose", "Kinesis Data Firehose", "kds", "dynamo", "NoSQL",
		"glacier", "cold storage", "presto", "hadoop", "serverless", "DMS ", "queues")
	qs = append(qs, // stop words
		"the", "the ", "a", "and or", "of the", "what is", "what is kinesis", "the s3 ", "it's", "they're ",
		"how to", "th", "the kin", "with")
	qs = append(qs, // absent words
		"zzzqqq", "xylophone", "quetzalcoatl ", "blorptastic", "kubernetes", "mongodb", "qwertyuiop",
		"transitioned", "supercalifragilistic", "zebra crossing")
	var huge strings.Builder
	for huge.Len() < 10000 {
		huge.WriteString(pick(words))
		huge.WriteByte(' ')
	}
	qs = append(qs, // hostile and odd input
		"", " ", "   ", huge.String()[:10000], strings.Repeat("a", 10000), strings.Repeat("kinesis ", 1250),
		"<script>alert(1)</script>", `"`, `\`, `"kinesis"`, `\kinesis\`, "(.*)+?[", "^$|{}", "s3.*",
		"kinesis's", "S3's", "Kinesis’s", "İstanbul", "ΣΑΣ", "naïve café", "😀 kinesis", "10,000", "5TB",
		"24h", "e.g.", "__proto__", "constructor", "hasOwnProperty", "toString ", "x", "S", "s3", "S3 ",
		"Multi-AZ", "read-replica", "I/O", "kinesis\tstreams", "kinesis\nfirehose", "日本語", "KINESIS STREAMS")
	return qs
}
