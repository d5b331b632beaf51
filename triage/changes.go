package triage

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Changes are the changed lines of a change set, by file (slash path
// relative to the scan root).
type Changes struct {
	// Files maps a file to its changed lines; a nil LineSet means the whole
	// file is new or changed. A file that is not a key did not change.
	Files map[string]*LineSet
}

// LineSet is a set of 1-based line numbers, held as sorted, disjoint,
// non-adjacent closed intervals.
type LineSet struct {
	spans [][2]int
}

// Add adds lines first..last (inclusive).
func (s *LineSet) Add(first, last int) {
	if first < 1 {
		first = 1
	}
	if last < first {
		return
	}
	i := sort.Search(len(s.spans), func(i int) bool { return s.spans[i][1] >= first-1 })
	j := i
	for j < len(s.spans) && s.spans[j][0] <= last+1 {
		first = min(first, s.spans[j][0])
		last = max(last, s.spans[j][1])
		j++
	}
	s.spans = append(s.spans[:i], append([][2]int{{first, last}}, s.spans[j:]...)...)
}

// Overlaps reports whether any line of first..last is in the set.
func (s *LineSet) Overlaps(first, last int) bool {
	i := sort.Search(len(s.spans), func(i int) bool { return s.spans[i][1] >= first })
	return i < len(s.spans) && s.spans[i][0] <= last
}

// Spans returns the intervals, for tests and messages.
func (s *LineSet) Spans() [][2]int { return append([][2]int(nil), s.spans...) }

// Touches reports whether r lies on a changed line.
func (c *Changes) Touches(r graph.Range) bool {
	if c == nil || r.File == "" || r.Start.Line < 1 {
		return false
	}
	ls, ok := c.Files[r.File]
	if !ok {
		return false
	}
	if ls == nil {
		return true
	}
	last := r.End.Line
	if last > r.Start.Line && r.End.Column <= 1 {
		// End is exclusive: a range that ends at the very start of a
		// line does not cover that line.
		last--
	}
	return ls.Overlaps(r.Start.Line, max(last, r.Start.Line))
}

// FileChanges is the change set of --changed-files: every named file is
// wholly changed. Paths are cleaned to slash paths ("./a//b.tf" -> "a/b.tf");
// the caller makes them relative to the scan root.
func FileChanges(files []string) *Changes {
	c := &Changes{Files: map[string]*LineSet{}}
	for _, f := range files {
		p := path.Clean(strings.ReplaceAll(f, "\\", "/"))
		if p == "." || p == "" {
			continue
		}
		c.Files[p] = nil
	}
	return c
}

// ParseUnifiedDiff reads the output of git diff (any context, --unified=0
// gives the tightest result) and returns the changed lines of the new side
// of each file. A file that is renamed is keyed by its new path; a deleted
// file has no entry; a new file has its lines (an empty new file none).
// A pure deletion marks the lines on either side of it, since removing an
// argument changes the block around it. Binary files and mode changes add
// nothing. Paths lose their "b/" prefix (git diff --dst-prefix=b/).
func ParseUnifiedDiff(r io.Reader) (*Changes, error) {
	c := &Changes{Files: map[string]*LineSet{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	var (
		lineNo   int
		file     string // current new-side path, "" when deleted or unknown
		inFile   bool   // inside a "diff --git" section
		old, neu int    // lines of the current hunk still to read
	)
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		if old > 0 || neu > 0 {
			// Inside a hunk body: count lines so that a removed line
			// "--- x" or an added "+++ y" is never read as a header.
			switch {
			case strings.HasPrefix(line, "\\"): // "\ No newline at end of file"
			case strings.HasPrefix(line, "+"):
				neu--
			case strings.HasPrefix(line, "-"):
				old--
			case strings.HasPrefix(line, " "), line == "":
				old--
				neu--
			default:
				return nil, fmt.Errorf("diff line %d: unexpected line in a hunk: %q", lineNo, truncate(line))
			}
			if old < 0 || neu < 0 {
				return nil, fmt.Errorf("diff line %d: hunk longer than its header says", lineNo)
			}
			continue
		}
		switch {
		case strings.HasPrefix(line, "diff --git "), strings.HasPrefix(line, "diff --cc "), strings.HasPrefix(line, "diff --combined "):
			inFile, file = true, ""
		case strings.HasPrefix(line, "\\"):
			// "\ No newline at end of file" after the last hunk line.
		case inFile && strings.HasPrefix(line, "rename to "):
			p, err := diffPath(strings.TrimPrefix(line, "rename to "), "")
			if err != nil {
				return nil, fmt.Errorf("diff line %d: %w", lineNo, err)
			}
			file = p
		case strings.HasPrefix(line, "+++ "):
			inFile = true
			p := strings.TrimPrefix(line, "+++ ")
			if p == "/dev/null" {
				file = ""
				continue
			}
			p, err := diffPath(p, "b/")
			if err != nil {
				return nil, fmt.Errorf("diff line %d: %w", lineNo, err)
			}
			file = p
		case strings.HasPrefix(line, "+"), strings.HasPrefix(line, "-") && !strings.HasPrefix(line, "--- "):
			return nil, fmt.Errorf("diff line %d: a changed line outside any hunk: %q", lineNo, truncate(line))
		case strings.HasPrefix(line, "@@ "):
			if file == "" {
				// A hunk of a deleted file, or of a file whose name
				// was not given: count it and move on.
				o, n, _, err := parseHunk(line)
				if err != nil {
					return nil, fmt.Errorf("diff line %d: %w", lineNo, err)
				}
				old, neu = o, n
				continue
			}
			o, n, start, err := parseHunk(line)
			if err != nil {
				return nil, fmt.Errorf("diff line %d: %w", lineNo, err)
			}
			ls, ok := c.Files[file]
			if !ok {
				ls = &LineSet{}
				c.Files[file] = ls
			}
			if ls != nil {
				if n > 0 {
					ls.Add(start, start+n-1)
				} else {
					// Lines removed after new line start: the
					// neighbours are what changed.
					ls.Add(start, start+1)
				}
			}
			old, neu = o, n
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the diff: %w", err)
	}
	if old > 0 || neu > 0 {
		return nil, errors.New("the diff ends inside a hunk")
	}
	return c, nil
}

// parseHunk parses "@@ -a[,b] +c[,d] @@ ...": it returns the number of old
// and new lines and the first new line.
func parseHunk(line string) (oldN, newN, newStart int, err error) {
	rest := strings.TrimPrefix(line, "@@ ")
	end := strings.Index(rest, " @@")
	if end < 0 {
		return 0, 0, 0, fmt.Errorf("bad hunk header %q", truncate(line))
	}
	fields := strings.Fields(rest[:end])
	if len(fields) != 2 || !strings.HasPrefix(fields[0], "-") || !strings.HasPrefix(fields[1], "+") {
		return 0, 0, 0, fmt.Errorf("bad hunk header %q", truncate(line))
	}
	_, oldN, err1 := parseSpan(fields[0][1:])
	newStart, newN, err2 := parseSpan(fields[1][1:])
	if err1 != nil || err2 != nil {
		return 0, 0, 0, fmt.Errorf("bad hunk header %q", truncate(line))
	}
	return oldN, newN, newStart, nil
}

func parseSpan(s string) (start, n int, err error) {
	a, b, found := strings.Cut(s, ",")
	start, err = strconv.Atoi(a)
	if err != nil || start < 0 {
		return 0, 0, errors.New("bad span")
	}
	n = 1
	if found {
		n, err = strconv.Atoi(b)
		if err != nil || n < 0 {
			return 0, 0, errors.New("bad span")
		}
	}
	return start, n, nil
}

// diffPath decodes a path of a diff header: git quotes a path with unusual
// characters C-style ("b/caf\303\251.tf"), and prefixes it.
func diffPath(p, prefix string) (string, error) {
	if strings.HasPrefix(p, `"`) {
		// git ends a ---/+++ line whose path holds a space with a tab.
		u, err := strconv.Unquote(strings.TrimSuffix(p, "\t"))
		if err != nil {
			return "", fmt.Errorf("bad quoted path %s", truncate(p))
		}
		p = u
	} else {
		// An unquoted name may be followed by a tab in some diff producers.
		p, _, _ = strings.Cut(p, "\t")
	}
	if prefix != "" {
		if !strings.HasPrefix(p, prefix) {
			return "", fmt.Errorf("path %q lacks the %q prefix", truncate(p), prefix)
		}
		p = p[len(prefix):]
	}
	return p, nil
}

func truncate(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return s
}

// maxGitOutput bounds what GitChanges reads from one git command.
const maxGitOutput = 64 << 20

// GitChanges returns the lines changed in dir (the scan root, inside a git
// work tree) since ref: the working tree against ref (staged and unstaged
// edits, committed ones since ref), plus every untracked file that is not
// ignored, as a whole. Paths are relative to dir. git runs without a shell,
// without the repository's fsmonitor, hooks, external diff or textconv
// drivers, and its output is bounded.
func GitChanges(ctx context.Context, dir, ref string) (*Changes, error) {
	if ref == "" || strings.HasPrefix(ref, "-") || strings.ContainsAny(ref, "\x00\n") {
		return nil, fmt.Errorf("bad git revision %q for --diff-base", ref)
	}
	if _, err := exec.LookPath("git"); err != nil {
		return nil, errors.New("--diff-base needs git, which is not on PATH")
	}
	if out, err := runGit(ctx, dir, "rev-parse", "--is-inside-work-tree"); err != nil || strings.TrimSpace(string(out)) != "true" {
		return nil, fmt.Errorf("%s is not inside a git work tree (--diff-base compares against a git revision)%s", dir, gitReason(err))
	}
	if _, err := runGit(ctx, dir, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}"); err != nil {
		return nil, fmt.Errorf("unknown git revision %q (--diff-base): fetch it first, e.g. git fetch origin %s", ref, ref)
	}
	diff, err := runGit(ctx, dir, "diff", "--no-color", "--no-ext-diff", "--no-textconv", "--unified=0",
		"--relative", "--src-prefix=a/", "--dst-prefix=b/", ref, "--")
	if err != nil {
		return nil, fmt.Errorf("git diff %s: %w", ref, err)
	}
	c, err := ParseUnifiedDiff(bytes.NewReader(diff))
	if err != nil {
		return nil, fmt.Errorf("git diff %s: %w", ref, err)
	}
	untracked, err := runGit(ctx, dir, "ls-files", "-z", "--others", "--exclude-standard")
	if err != nil {
		return nil, fmt.Errorf("git ls-files: %w", err)
	}
	for _, p := range strings.Split(string(untracked), "\x00") {
		if p != "" {
			c.Files[p] = nil
		}
	}
	return c, nil
}

func gitReason(err error) string {
	if err == nil {
		return ""
	}
	return ": " + err.Error()
}

// runGit runs one git command in dir with the repository's command hooks
// turned off, and returns its standard output, bounded by maxGitOutput.
func runGit(ctx context.Context, dir string, args ...string) ([]byte, error) {
	full := append([]string{
		"-c", "core.fsmonitor=false",
		"-c", "core.hooksPath=/dev/null",
		"-c", "core.quotePath=false",
		"--no-pager",
	}, args...)
	cmd := exec.CommandContext(ctx, "git", full...) //nolint:gosec // a fixed program; the arguments are not a shell line
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_TERMINAL_PROMPT=0", // never ask for credentials
		"GIT_OPTIONAL_LOCKS=0",  // do not refresh the index of the repository being scanned
		"LC_ALL=C",
	)
	var stdout limitedBuffer
	stdout.limit = maxGitOutput
	var stderr limitedBuffer
	stderr.limit = 4096
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	if stdout.over {
		return nil, fmt.Errorf("git %s printed more than %d MiB", args[0], maxGitOutput>>20)
	}
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, errors.New(msg)
		}
		return nil, err
	}
	return stdout.Bytes(), nil
}

var errOutputLimit = errors.New("output limit reached")

// limitedBuffer keeps at most limit bytes and records whether more came.
type limitedBuffer struct {
	bytes.Buffer
	limit int
	over  bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.Len(); len(p) > room {
		b.over = true
		return 0, errOutputLimit
	}
	return b.Buffer.Write(p)
}
