#!/usr/bin/env python3
"""The engine's module graph, checked against docs/INTERNALS.md.

Every `#include "..."` in engine/src, drivers and engine/cli is resolved the
way the compiler resolves it (beside the file, then the include path); an
include that lands in another module is an edge. The check fails when

- an edge is not in the allowed graph (the ```modules block in INTERNALS.md),
  whether through a private header or any other;
- the allowed graph itself has a cycle;
- engine/cli includes anything of the library but gradprint.h.

Usage: module-graph.py SOURCE_DIR, or module-graph.py --self-test (the
check fails on a small tree with a forbidden include, a cycle, and a CLI
reaching into the library).
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] != "--self-test" else "."
INCLUDE_PATH = ["engine/include", "engine/src", "drivers"]
INCLUDE = re.compile(r'\s*#\s*include\s+"([^"]+)"')


def module_of(path):
    parts = os.path.relpath(path, ROOT).split(os.sep)
    if parts[:2] == ["engine", "src"] and len(parts) > 3:
        return parts[2]
    if parts[:2] == ["engine", "include"]:
        return "api"
    if parts[:2] == ["engine", "cli"]:
        return "cli"
    if parts[0] == "drivers":
        return "drivers"
    return None


def allowed_graph():
    text = open(os.path.join(ROOT, "docs/INTERNALS.md"), encoding="utf-8").read()
    m = re.search(r"```modules\n(.*?)```", text, re.S)
    if not m:
        sys.exit("docs/INTERNALS.md: no ```modules block with the allowed module graph")
    graph = {}
    for n, line in enumerate(m.group(1).splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, deps = line.partition(":")
        graph[name.strip()] = set(deps.split())
    return graph


def find_cycle(graph):
    state = {}

    def visit(node, path):
        state[node] = "open"
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == "open":
                return path + [node, dep]
            if dep not in state:
                cycle = visit(dep, path + [node])
                if cycle:
                    return cycle
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node, [])
            if cycle:
                return cycle[cycle.index(cycle[-1]):]
    return None


def edges():
    found = {}
    for top in ("engine/src", "drivers", "engine/cli"):
        for directory, _, files in os.walk(os.path.join(ROOT, top)):
            for name in sorted(files):
                if not name.endswith((".c", ".h", ".cpp")):
                    continue
                path = os.path.join(directory, name)
                source = module_of(path)
                for lineno, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    candidates = [os.path.join(directory, m.group(1))]
                    if source != "cli" or not os.path.exists(candidates[0]):
                        candidates += [os.path.join(ROOT, d, m.group(1)) for d in INCLUDE_PATH]
                    target = next((os.path.normpath(c) for c in candidates if os.path.exists(c)), None)
                    if target is None:
                        continue  # a system header in quotes, or generated
                    dest = module_of(target)
                    if dest is not None and dest != source:
                        where = "%s:%d" % (os.path.relpath(path, ROOT), lineno)
                        found.setdefault((source, dest), []).append((where, m.group(1)))
    return found


def main():
    graph = allowed_graph()
    failures = 0
    cycle = find_cycle(graph)
    if cycle:
        print("FAIL: the allowed module graph has a cycle: " + " -> ".join(cycle))
        failures += 1
    for (source, dest), sites in sorted(edges().items()):
        if dest == "api":
            continue
        if source == "cli":
            for where, header in sites:
                print("FAIL: %s: the command-line tool includes %s; it may use gradprint.h only" % (where, header))
            failures += len(sites)
            continue
        if dest not in graph.get(source, set()):
            for where, header in sites:
                print("FAIL: %s: module %s includes %s from module %s, against the graph in docs/INTERNALS.md "
                      "(move the helper down a layer, or pass what is needed in)" % (where, source, header, dest))
            failures += len(sites)
        else:
            print("ok: %s -> %s (%d includes)" % (source, dest, len(sites)))
    print("%d failures" % failures)
    return 1 if failures else 0


def self_test():
    import subprocess
    import tempfile

    def tree(files, graph):
        d = tempfile.mkdtemp(prefix="module-graph-")
        files = dict(files)
        files["docs/INTERNALS.md"] = "```modules\n" + graph + "```\n"
        for rel, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
            open(os.path.join(d, rel), "w").write(text)
        r = subprocess.run([sys.executable, __file__, d], capture_output=True, text=True)
        subprocess.run(["rm", "-rf", d])
        return r.returncode, r.stdout

    base = {"engine/src/a/a.c": '#include "b/b-private.h"\n', "engine/src/b/b-private.h": "\n",
            "engine/cli/main.c": '#include "gradprint.h"\n', "engine/include/gradprint.h": "\n"}
    cases = [
        ("an allowed edge passes", base, "a: b\nb:\n", 0, "ok: a -> b"),
        ("a forbidden include fails", base, "a:\nb:\n", 1, "module a includes b/b-private.h"),
        ("a cycle in the graph fails", base, "a: b\nb: a\n", 1, "has a cycle"),
        ("the CLI reaching into the library fails",
         dict(base, **{"engine/cli/main.c": '#include "b/b-private.h"\n'}), "a: b\nb:\n", 1,
         "may use gradprint.h only"),
    ]
    bad = 0
    for name, files, graph, want, text in cases:
        code, out = tree(files, graph)
        good = code == want and text in out
        print(("ok: " if good else "FAIL: ") + name + ("" if good else " (exit %d)\n%s" % (code, out)))
        bad += not good
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(self_test() if sys.argv[1:] == ["--self-test"] else main())
