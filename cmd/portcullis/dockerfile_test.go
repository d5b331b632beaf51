package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	line int // where it starts
	cmd  string
	args string
}

// parseDockerfile splits a Dockerfile into stages (each beginning with its
// FROM) of instructions; comments and blank lines are dropped. It is the
// subset of the syntax our Dockerfile uses: a line ending in a backslash
// continues on the next.
func parseDockerfile(t *testing.T, text string) [][]instruction {
	t.Helper()
	var stages [][]instruction
	var cur *instruction
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		// Comment and blank lines are dropped, also within a continued
		// instruction (as Docker does).
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cont := strings.HasSuffix(line, "\\")
		line = strings.TrimSuffix(line, "\\")
		if cur == nil {
			cmd, args, _ := strings.Cut(line, " ")
			cur = &instruction{line: i + 1, cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		} else {
			cur.args = strings.TrimSpace(cur.args + " " + line)
		}
		if cont {
			continue
		}
		if cur.cmd == "FROM" {
			stages = append(stages, nil)
		} else if len(stages) == 0 {
			if cur.cmd != "ARG" {
				t.Fatalf("Dockerfile:%d: %s before the first FROM", cur.line, cur.cmd)
			}
			cur = nil
			continue
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], *cur)
		cur = nil
	}
	if cur != nil {
		t.Fatalf("Dockerfile:%d: the file ends inside a continued %s", cur.line, cur.cmd)
	}
	return stages
}

func find(stage []instruction, cmd string) []instruction {
	var out []instruction
	for _, in := range stage {
		if in.cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

// TestDockerfile holds the container image to what docs/install.md says of
// it, where no image can be built (the Docker daemon and registries are out
// of reach of the test machines): a Go build of the module's Go version,
// static and path-free, into a distroless (or scratch) image that runs
// portcullis as a non-root numeric user in /src.
func TestDockerfile(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	stages := parseDockerfile(t, string(text))
	if len(stages) < 2 {
		t.Fatalf("%d stages, want a build stage and a final one", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]

	// The build stage: the Go of go.mod (major.minor), static, -trimpath.
	goMod, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(goMod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	if want := "golang:" + string(m[1]) + " AS build"; build[0].args != want {
		t.Errorf("Dockerfile:%d: FROM %s, want FROM %s (go.mod: go %s)", build[0].line, build[0].args, want, m[1])
	}
	var compiled bool
	for _, in := range find(build, "RUN") {
		if !strings.Contains(in.args, "go build") {
			continue
		}
		compiled = true
		for _, want := range []string{"CGO_ENABLED=0 ", "-trimpath", "-X main.version=", "-X main.commit=", "-X main.date=", "./cmd/portcullis"} {
			if !strings.Contains(in.args, want) {
				t.Errorf("Dockerfile:%d: go build without %q: %s", in.line, want, in.args)
			}
		}
	}
	if !compiled {
		t.Error("the build stage runs no go build")
	}

	// The final stage.
	from := strings.Fields(final[0].args)
	base := from[0]
	if base != "scratch" && !strings.HasPrefix(base, "gcr.io/distroless/static") {
		t.Errorf("Dockerfile:%d: final stage FROM %s, want scratch or gcr.io/distroless/static*", final[0].line, base)
	}
	if strings.HasPrefix(base, "gcr.io/distroless/static") && !strings.HasSuffix(base, ":nonroot") {
		t.Errorf("Dockerfile:%d: FROM %s: the :nonroot tag holds the passwd entry of user 65532", final[0].line, base)
	}
	copies := find(final, "COPY")
	if base == "scratch" {
		var passwd bool
		for _, in := range copies {
			passwd = passwd || strings.Contains(in.args, "/etc/passwd")
		}
		if !passwd {
			t.Error("a scratch image needs an /etc/passwd entry for its user")
		}
	}
	var binary bool
	for _, in := range copies {
		binary = binary || in.args == "--from=build /out/portcullis /usr/local/bin/portcullis"
	}
	if !binary {
		t.Errorf("the final stage does not copy the binary to /usr/local/bin/portcullis (on the PATH of the entrypoint): %v", copies)
	}

	users := find(final, "USER")
	if len(users) != 1 {
		t.Fatalf("final stage: %d USER instructions, want 1", len(users))
	}
	for _, id := range strings.Split(users[0].args, ":") {
		n, err := strconv.Atoi(id)
		if err != nil || n == 0 {
			t.Errorf("Dockerfile:%d: USER %s, want a numeric non-root user (and group)", users[0].line, users[0].args)
		}
	}

	entry := find(final, "ENTRYPOINT")
	if len(entry) != 1 {
		t.Fatalf("final stage: %d ENTRYPOINT instructions, want 1", len(entry))
	}
	var argv []string
	if err := json.Unmarshal([]byte(entry[0].args), &argv); err != nil || len(argv) != 1 || argv[0] != "portcullis" {
		t.Errorf("Dockerfile:%d: ENTRYPOINT %s, want the exec form [\"portcullis\"] (no shell in the image)", entry[0].line, entry[0].args)
	}
	if w := find(final, "WORKDIR"); len(w) != 1 || w[0].args != "/src" {
		t.Errorf("final stage WORKDIR %v, want /src (where docs/install.md mounts the scanned tree)", w)
	}
	var labels string
	for _, in := range find(final, "LABEL") {
		labels += " " + in.args
	}
	for _, key := range []string{"title", "description", "source", "version", "revision"} {
		if !strings.Contains(labels, "org.opencontainers.image."+key+"=") {
			t.Errorf("final stage has no org.opencontainers.image.%s label", key)
		}
	}

	// The build context leaves out the history and build output.
	ignore, err := os.ReadFile(filepath.Join("..", "..", ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".git", "dist", "*.test"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want) + `$`).Match(ignore) {
			t.Errorf(".dockerignore does not list %s", want)
		}
	}
}

func TestParseDockerfile(t *testing.T) {
	stages := parseDockerfile(t, "ARG X=1\n# c\nFROM a AS b\nRUN one \\\n  # inside\n  two\n\nFROM c\nUSER 1:2\n")
	want := "[[{3 FROM a AS b} {4 RUN one two}] [{8 FROM c} {9 USER 1:2}]]"
	if got := strings.ReplaceAll(fmtStages(stages), "\n", ""); got != want {
		t.Errorf("parseDockerfile = %s, want %s", got, want)
	}
}

func fmtStages(stages [][]instruction) string {
	var b strings.Builder
	b.WriteString("[")
	for i, s := range stages {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString("[")
		for j, in := range s {
			if j > 0 {
				b.WriteString(" ")
			}
			b.WriteString("{" + strconv.Itoa(in.line) + " " + in.cmd + " " + in.args + "}")
		}
		b.WriteString("]")
	}
	b.WriteString("]")
	return b.String()
}
