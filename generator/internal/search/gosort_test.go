package search

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

type countItem struct {
	Count int `json:"count"`
	Tag   int `json:"tag"`
}

type countList []countItem

func (l countList) Len() int           { return len(l) }
func (l countList) Less(i, j int) bool { return l[i].Count < l[j].Count }
func (l countList) Swap(i, j int)      { l[i], l[j] = l[j], l[i] }

// TestClientSortIsSortSort checks that the client's goSort orders
// disjunction children exactly as Bleve's sort.Sort by Count does, ties
// included (pdqsort is not stable), on random, sorted, reversed, sawtooth
// and few-valued lists of up to 3,000 children.
func TestClientSortIsSortSort(t *testing.T) {
	node := nodePath(t)
	r := rand.New(rand.NewPCG(1, 2))
	type tc struct {
		In  []countItem `json:"in"`
		Out []int       `json:"out"`
	}
	var cases []tc
	for c := 0; c < 3000; c++ {
		n := r.IntN(200)
		if c%10 == 0 {
			n = r.IntN(3000)
		}
		vals := 1 + r.IntN(n+2)
		if c%7 == 0 {
			vals = 1 + r.IntN(3)
		}
		in := make([]countItem, n)
		for i := range in {
			in[i] = countItem{r.IntN(vals), i}
		}
		switch c % 5 {
		case 1:
			sort.SliceStable(in, func(a, b int) bool { return in[a].Count < in[b].Count })
		case 2:
			sort.SliceStable(in, func(a, b int) bool { return in[a].Count > in[b].Count })
		case 3:
			m := 1 + r.IntN(20)
			for i := range in {
				in[i].Count = i % m
			}
		case 4:
			for i := range in {
				in[i].Count = min(i, n-i)
			}
		}
		out := append(countList(nil), in...)
		sort.Sort(out)
		tags := make([]int, len(out))
		for i, x := range out {
			tags[i] = x.Tag
		}
		cases = append(cases, tc{in, tags})
	}
	f := filepath.Join(t.TempDir(), "cases.json")
	data, _ := json.Marshal(cases)
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	const script = `
const fs = require('fs');
const src = fs.readFileSync(process.argv[1], 'utf8');
const start = src.indexOf('  function goSort(xs) {');
if (start < 0) throw new Error('no goSort in the client');
const end = src.indexOf('\n  }\n', start) + 4;
const goSort = new Function(src.slice(start, end) + '; return goSort;')();
let bad = 0;
for (const c of JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))) {
  const got = goSort(c.in.slice()).map((x) => x.tag).join(',');
  if (got !== c.out.join(',')) { if (++bad <= 3) console.log('differs on ' + c.in.length + ' children'); }
}
console.log(bad + ' differ');
`
	out, err := exec.Command(node, "-e", script, clientJS, f).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	if s := strings.TrimSpace(string(out)); s != "0 differ" {
		t.Errorf("client goSort vs sort.Sort on %d lists: %s", len(cases), s)
	}
	t.Logf("%d lists: client goSort equals sort.Sort", len(cases))
}
