// Package bounded reads untrusted input within stated limits: a whole
// file up to a size, a stream line by line up to a line length, and
// quotes a value from it in a message clipped to a few dozen characters.
// Sizes are measured while reading, never taken from stat, which is 0 for
// devices and FIFOs. docs/reliability.md lists the limits.
package bounded
