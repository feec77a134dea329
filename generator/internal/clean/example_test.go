package clean_test

import (
	"fmt"

	"github.com/gen-site/gen/generator/internal/clean"
)

func ExampleClean() {
	raw := "## Collection\n* Near Real Time\n * KDF\n• Batch • Snowball\n"
	res := clean.Clean([]byte(raw), clean.Options{FirstLine: 1})
	fmt.Print(string(res.Text))
	for _, r := range res.Repairs {
		fmt.Printf("%d: %s: %s → %s\n", r.Line, r.Rule, r.Before, r.After)
	}
	for _, l := range res.Lines {
		fmt.Printf("cleaned offset %d is raw line %d\n", l.Off, l.RawLine)
	}
	// Output:
	// ## Collection
	// * Near Real Time
	//   * KDF
	// * Batch
	// * Snowball
	// 3: nesting: " * KDF" → "  * KDF"
	// 4: bullet: "• Batch • Snowball" → "* Batch"
	// 4: packed-bullets: "• Batch • Snowball" → 2 items
	// cleaned offset 0 is raw line 1
	// cleaned offset 14 is raw line 2
	// cleaned offset 31 is raw line 3
	// cleaned offset 39 is raw line 4
	// cleaned offset 47 is raw line 4
}
