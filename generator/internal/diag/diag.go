// Package diag holds the problems a build finds in its input: errors that
// stop the build and warnings that do not. Each one names a note (a path
// relative to the content folder) and, where there is one, a 1-based line of
// the raw file, so that a person can go straight to what they wrote.
package diag

import (
	"cmp"
	"fmt"
	"slices"
)

// Severity says whether a diagnostic stops the build.
type Severity int

const (
	// Warning is reported but does not fail the build.
	Warning Severity = iota
	// Error fails the build.
	Error
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Diagnostic is one problem found in the input.
type Diagnostic struct {
	Path     string   // relative to the content folder, slash-separated; "" for the site as a whole
	Line     int      // 1-based line in the raw file; 0 when the problem has no line
	Severity Severity // Error fails the build
	Rule     string   // short machine-readable name of the check, such as "utf8" or "front-matter"
	Msg      string   // lowercase, no trailing period
}

// String formats d as "path:line: message", the form editors and terminals
// turn into a link.
func (d Diagnostic) String() string {
	return d.Format("")
}

// Format is String with dir (the content folder as the user named it)
// joined in front of the path, so that the printed location opens from the
// user's current folder.
func (d Diagnostic) Format(dir string) string {
	p := d.Path
	if dir != "" && p != "" {
		p = dir + "/" + p
	}
	sev := ""
	if d.Severity == Warning {
		sev = "warning: "
	}
	switch {
	case p == "":
		return sev + d.Msg
	case d.Line > 0:
		return fmt.Sprintf("%s:%d: %s%s", p, d.Line, sev, d.Msg)
	default:
		return fmt.Sprintf("%s: %s%s", p, sev, d.Msg)
	}
}

// List is a list of diagnostics.
type List []Diagnostic

// Errorf adds an error at path and line.
func (l *List) Errorf(path string, line int, rule, format string, args ...any) {
	*l = append(*l, Diagnostic{Path: path, Line: line, Severity: Error, Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

// Warnf adds a warning at path and line.
func (l *List) Warnf(path string, line int, rule, format string, args ...any) {
	*l = append(*l, Diagnostic{Path: path, Line: line, Severity: Warning, Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

// HasErrors reports whether any diagnostic in l is an Error.
func (l List) HasErrors() bool {
	return slices.ContainsFunc(l, func(d Diagnostic) bool { return d.Severity == Error })
}

// Errors returns the number of errors in l.
func (l List) Errors() int {
	n := 0
	for _, d := range l {
		if d.Severity == Error {
			n++
		}
	}
	return n
}

// Sort orders l by path, then line, then severity (errors first), then
// message, and removes exact duplicates, so output is stable from run to run.
func (l *List) Sort() {
	slices.SortStableFunc(*l, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(b.Severity, a.Severity),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	*l = slices.Compact(*l)
}

// Err returns nil when l has no errors, and otherwise an error that lists
// every error in l, one per line.
func (l List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return &BuildError{List: l}
}

// BuildError is the error a build returns when its input has errors.
type BuildError struct {
	List List
}

func (e *BuildError) Error() string {
	n := e.List.Errors()
	first := ""
	for _, d := range e.List {
		if d.Severity == Error {
			first = d.String()
			break
		}
	}
	if n == 1 {
		return first
	}
	return fmt.Sprintf("%s (and %d more errors)", first, n-1)
}
