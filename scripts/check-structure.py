#!/usr/bin/env python3
"""Structure checks scripts/test runs before compiling anything.

1. No cycles between the files of src/: a file that names another file's
   items (`crate::core::fal::endpoint::…`, `super::x`, `use x::…` after
   importing the module) depends on it; the dependency graph must be acyclic
   so each folder can be read without the ones that use it.
2. No file of src/, server/src, tests/ or e2e/ over 400 lines.
3. src/web/ holds no reactive state (RwSignal, Memo, Effect, ...): the web
   layer performs one request or storage call per function; signals live
   in src/ui/.

Prints every violation and exits 1 when there is one.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
MAX_LINES = 400


def module_files():
    """Maps a module path ('core::fal::endpoint') to its file."""
    found = {}
    for dirpath, _, names in os.walk(SRC):
        for name in names:
            if not name.endswith(".rs") or name.endswith("_tests.rs"):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, SRC)[:-3].split(os.sep)
            if rel[-1] == "mod":
                rel = rel[:-1]
            if rel in (["lib"], ["main"]):
                continue
            found["::".join(rel)] = path
    return found


def strip_comments(text):
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def dependencies(modules):
    graph = {}
    pattern = re.compile(r"crate::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)")
    for module, path in modules.items():
        text = strip_comments(open(path, encoding="utf-8").read())
        # Test modules live in files of their own and may use anything.
        text = text.split("#[cfg(test)]")[0]
        deps = set()
        for match in pattern.finditer(text):
            parts = match.group(1).split("::")
            # The longest prefix that is a file.
            for end in range(len(parts), 0, -1):
                candidate = "::".join(parts[:end])
                if candidate in modules:
                    if candidate != module and not module.startswith(candidate + "::") \
                            and not candidate.startswith(module + "::"):
                        deps.add(candidate)
                    break
        graph[module] = deps
    return graph


def cycles(graph):
    """Tarjan's strongly connected components with more than one file."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for dep in graph.get(node, ()):
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def long_files():
    out = []
    for top in ("src", "server/src", "server/tests", "tests", "e2e"):
        for dirpath, _, names in os.walk(os.path.join(ROOT, top)):
            for name in names:
                if name.endswith((".rs", ".mjs")):
                    path = os.path.join(dirpath, name)
                    count = sum(1 for _ in open(path, encoding="utf-8"))
                    if count > MAX_LINES:
                        out.append(f"{os.path.relpath(path, ROOT)}: {count} lines (limit {MAX_LINES})")
    return out


def signals_in_web():
    out = []
    banned = re.compile(r"\b(RwSignal|ReadSignal|WriteSignal|Memo|ArcRwSignal|Effect|StoredValue|use_context|provide_context)\b")
    for dirpath, _, names in os.walk(os.path.join(SRC, "web")):
        for name in names:
            path = os.path.join(dirpath, name)
            for number, line in enumerate(open(path, encoding="utf-8"), 1):
                code = line.split("//")[0]
                if banned.search(code):
                    out.append(f"{os.path.relpath(path, ROOT)}:{number}: reactive state in src/web: {line.strip()}")
    return out


def main():
    problems = []
    for component in cycles(dependencies(module_files())):
        problems.append("cycle between files: " + " -> ".join(component))
    problems += long_files()
    problems += signals_in_web()
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} structure problem(s)")
        return 1
    print("structure: no cycles, no file over 400 lines, no signals in src/web")
    return 0


if __name__ == "__main__":
    sys.exit(main())
