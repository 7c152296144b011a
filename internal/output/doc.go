// Package output writes capsim's output files without ever replacing
// something that is not a regular file, and writes a command's set of
// files into an --out folder so that a reader sees the old set or the new
// one, never a mix (docs/reliability.md, "Output files").
//
// Every output path is checked before the work starts (Check, OpenFolder),
// so a bad path fails at once with exit 2 instead of after the simulation.
//
//   - "-", a character device or a FIFO is written directly (streamed):
//     nothing is created, renamed or removed.
//   - A regular file, or a path that does not exist yet, is written to a
//     temporary file beside it and renamed into place.
//   - A symlink is followed to its target, and the target is treated by
//     the same rules (a dangling symlink creates its target, if the
//     target's folder exists); the symlink itself stays.
//   - Anything else (a folder, a block device, a socket) is refused.
//
// Temporary files and folders carry ".capsim-" in their names and are held
// under flock(2) while in use, so a later run can tell a live one from one
// a SIGKILL left behind, and removes the latter.
package output
