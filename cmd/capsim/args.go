package main

import "strings"

// interspersed lists the commands whose flags may follow their
// arguments (urfave/cli/v2 stops reading flags at the first argument), and
// their flags that take no value.
var interspersed = map[string]map[string]bool{
	"run":            {"help": true, "h": true, "quiet": true, "q": true},
	"trace inspect":  {"help": true, "h": true},
	"trace convert":  {"help": true, "h": true},
	"fit-workload":   {"help": true, "h": true},
	"import asg":     {"help": true, "h": true},
	"import metrics": {"help": true, "h": true},
}

// flagsFirst moves the flags of an interspersed command before its
// arguments, so "capsim trace inspect FILE --html OUT" works as well as
// "capsim trace inspect --html OUT FILE". Everything after "--" stays an
// argument.
func flagsFirst(args []string) []string {
	if len(args) < 2 {
		return args
	}
	n := 2
	bools, ok := interspersed[args[1]]
	if !ok && len(args) > 2 {
		bools, ok = interspersed[args[1]+" "+args[2]]
		n = 3
	}
	if !ok {
		return args
	}
	out := append([]string(nil), args[:n]...)
	var pos []string
	for i := n; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			out = append(out, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && !bools[name] && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
		default:
			pos = append(pos, a)
		}
	}
	return append(out, pos...)
}
