package strictyaml

import "strings"

// nearest returns up to n of names closest to s by edit distance, closest
// first, among those close enough to be a likely typo.
func Nearest(s string, names []string, n int) []string {
	type cand struct {
		name string
		dist int
	}
	var cs []cand
	limit := max(2, len(s)/3)
	for _, name := range names {
		dist := editDistance(s, name)
		if dist > limit && len(s) >= 3 && (strings.HasPrefix(name, s) || strings.HasPrefix(s, name)) {
			dist = limit // a prefix: likely meant, ranked after closer names
		}
		if dist <= limit {
			cs = append(cs, cand{name, dist})
		}
	}
	// insertion sort: stable, small
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].dist < cs[j-1].dist; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		if a == b {
			return 0
		}
		return max(len(a), len(b))
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
