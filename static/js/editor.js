// The editor: a link from the tree picture (?line=N) puts the cursor on that line of the file.
document.addEventListener("DOMContentLoaded", () => {
  const text = document.querySelector("textarea[data-line]");
  if (!text) return;
  const line = Number(text.dataset.line);
  const lines = text.value.split("\n");
  const start = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
  text.focus();
  text.setSelectionRange(start, start + (lines[line - 1] || "").length);
  const height = text.scrollHeight / Math.max(lines.length, 1);
  text.scrollTop = Math.max(0, (line - 5) * height);
});
