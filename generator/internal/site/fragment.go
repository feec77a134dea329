package site

import (
	"hash/maphash"
	"html/template"
	"strings"
	"sync"
)

// Fragment executes the template name of the page's template set with
// data, as {{template name data}} does, and returns what it writes. In a
// live preview, a fragment whose data is one of the views that say what
// they show (a fact, a table) is taken from what the same page's last making
// wrote for the same data and templates, instead of being executed
// again: an edit of one fact of an entity with 475 facts and 5,000
// sources otherwise executes all of them again.
func (p *Page) Fragment(name string, data any) (template.HTML, error) {
	f := p.frags
	k, keyed := data.(fragmentKeyer)
	var key uint64
	if f != nil && keyed {
		h := &hasher{}
		h.h.SetSeed(f.seed)
		h.str(name)
		k.fragmentKey(h)
		key = h.sum()
		if html, ok := f.made[key]; ok {
			return html, nil
		}
		if html, ok := f.prev[key]; ok {
			f.made[key] = html
			f.reused++
			return html, nil
		}
	}
	var b strings.Builder
	if err := p.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	html := template.HTML(b.String())
	if f != nil && keyed {
		f.made[key] = html
	}
	return html, nil
}

// fragmentKeyer is a view that writes to h everything a template can show
// of it.
type fragmentKeyer interface {
	fragmentKey(h *hasher)
}

func (f FactView) fragmentKey(h *hasher) {
	h.str(f.ID, f.Text, f.Label, f.Badge)
	h.ints(f.Notes)
	h.sources(f.Sources)
}

// fragmentKey makes a comparison table on an entity page a fragment: an
// edit of a busy entity's facts leaves most of its tables as they were.
func (t TableView) fragmentKey(h *hasher) {
	h.str(t.ID, t.Title, t.Href, t.Kind)
	h.ints(len(t.Cols))
	for _, c := range t.Cols {
		h.link(c)
	}
	h.ints(len(t.Rows))
	for _, r := range t.Rows {
		h.str(r.Attribute)
		h.ints(len(r.Cells))
		if r.Conflict {
			h.ints(1)
		} else {
			h.ints(0)
		}
		for _, c := range r.Cells {
			h.str(c.Text, c.Badge)
			if c.Empty {
				h.ints(1)
			} else {
				h.ints(0)
			}
			h.sources(c.Sources)
		}
	}
	h.sources(t.Sources)
}

// sources hashes every field of each of ss.
func (h *hasher) sources(ss []SourceView) {
	h.ints(len(ss))
	for _, s := range ss {
		h.str(s.Href, s.Note, s.Text)
		h.ints(s.Line, s.More)
	}
}

// pageFragments is what Page.Fragment reads and writes while one page is
// made: prev, the fragments of the page's last making (under the same
// templates), and made, those of this one.
type pageFragments struct {
	seed       maphash.Seed
	prev, made map[uint64]template.HTML
	reused     int // fragments taken from prev
}

// fragmentStore keeps, per page, the fragments its last making wrote, for
// a Renderer. Pages are made in parallel.
type fragmentStore struct {
	seed   maphash.Seed
	mu     sync.Mutex
	pages  map[string]keptFragments
	reused int // fragments reused by the pages kept since the count was taken
}

type keptFragments struct {
	set  *template.Template
	html map[uint64]template.HTML
}

func newFragmentStore(seed maphash.Seed) *fragmentStore {
	return &fragmentStore{seed: seed, pages: map[string]keptFragments{}}
}

// begin returns the fragments for making the page at pth with set.
func (s *fragmentStore) begin(pth string, set *template.Template) *pageFragments {
	s.mu.Lock()
	k := s.pages[pth]
	s.mu.Unlock()
	f := &pageFragments{seed: s.seed, made: map[uint64]template.HTML{}}
	if k.set == set {
		f.prev = k.html
	}
	return f
}

// keep keeps what making the page at pth wrote; a page that wrote no
// fragment keeps none.
func (s *fragmentStore) keep(pth string, set *template.Template, f *pageFragments) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reused += f.reused
	if len(f.made) == 0 {
		delete(s.pages, pth)
		return
	}
	s.pages[pth] = keptFragments{set: set, html: f.made}
}

// drop forgets the fragments of a page that is gone.
func (s *fragmentStore) drop(pth string) {
	s.mu.Lock()
	delete(s.pages, pth)
	s.mu.Unlock()
}

// count returns how many fragments pages reused since it was last called.
func (s *fragmentStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.reused
	s.reused = 0
	return n
}
