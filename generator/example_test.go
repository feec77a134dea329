package generator_test

import (
	"context"
	"fmt"
	"log"
	"path"
	"testing/fstest"

	"github.com/gen-site/gen/generator"
)

func ExampleBuild() {
	// Content may be any file system: a folder on disk, an embedded one, or
	// a map in memory as here.
	content := fstest.MapFS{
		"notes/kinesis.md": {Data: []byte("# Kinesis\n\nStreams hold records for [a day](s3.txt).\n")},
		"notes/s3.txt":     {Data: []byte("---\ntitle: S3 storage classes\n---\n* Standard\n* Glacier\n")},
	}
	res, err := generator.Build(context.Background(), generator.Options{Content: content, BaseURL: "https://example.org/aws/"})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range res.Files {
		if path.Dir(f.Path) != "assets" { // asset names carry a content hash
			fmt.Println(f.Path)
		}
	}
	fmt.Printf("%d notes, %d pages\n", res.Stats.Notes, res.Stats.Pages)
	// Nothing is on disk yet: generator.Write(dir, res.Files) writes it.

	// Output:
	// index.html
	// notes/kinesis.html
	// notes/s3.html
	// 404.html
	// sitemap.xml
	// 2 notes, 4 pages
}
