package reports

// DeriveSeeds returns the seeds of n replications of a run on seed base
// (docs/ci.md, "Replications and seeds"): replication 1 runs on base
// itself, so it is the run `capsim run --seed base` gives; replication
// i ≥ 2 runs on the (i−1)-th output of SplitMix64 seeded with base
// (Steele, Lea and Flood 2014; reference code https://prng.di.unimi.it/splitmix64.c),
// whose outputs are far apart even for neighbouring bases, so replication
// streams of seed 1 and seed 2 do not overlap.
func DeriveSeeds(base uint64, n int) []uint64 {
	seeds := make([]uint64, n)
	state := base
	for i := range seeds {
		if i == 0 {
			seeds[i] = base
			continue
		}
		state += 0x9E3779B97F4A7C15
		z := state
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		seeds[i] = z ^ (z >> 31)
	}
	return seeds
}
