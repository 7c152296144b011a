package scenarios

import (
	"github.com/capsim/capsim/internal/strictyaml"
	"github.com/capsim/capsim/sim"
)

func (c *checker) instanceTypes() {
	seen := map[string]int{}
	for i := range c.s.InstanceTypes {
		it := &c.s.InstanceTypes[i]
		p := strictyaml.IndexPath("instance_types", i)
		if !c.given(p + ".name") {
			c.bad(p, "needs a name")
			continue
		}
		if j, dup := seen[it.Name]; dup {
			c.bad(p+".name", "%q is already defined by instance_types[%d]", it.Name, j)
		}
		seen[it.Name] = i
		_, inCatalogue := c.s.PriceList().Lookup(it.Name)
		if !inCatalogue {
			for _, k := range []string{"vcpu", "usd_per_hour"} {
				if !c.given(p + "." + k) {
					c.bad(p, "%q is not in the catalogue, so it needs %s", it.Name, k)
				}
			}
		}
		if it.VCPU != nil && (*it.VCPU < 1 || *it.VCPU > 4096) {
			c.bad(p+".vcpu", "must be between 1 and 4096, got %d", *it.VCPU)
		}
		if it.MemoryGiB != nil && *it.MemoryGiB < 0 {
			c.bad(p+".memory_gib", "must not be negative, got %g", *it.MemoryGiB)
		}
		if it.Speed != nil && *it.Speed <= 0 {
			c.bad(p+".speed", "must be greater than 0, got %g", *it.Speed)
		}
		if it.USDPerHour != nil && *it.USDPerHour < 0 {
			c.bad(p+".usd_per_hour", "must not be negative, got %g", *it.USDPerHour)
		}
	}
}

// resolveType finds an instance type: the scenario's instance_types
// override the catalogue field by field.
func (s *Scenario) resolveType(name string) (it sim.InstanceType, ok bool) {
	it, ok = s.PriceList().Lookup(name)
	for _, spec := range s.InstanceTypes {
		if spec.Name != name {
			continue
		}
		if !ok {
			it = sim.InstanceType{Name: name, Speed: 1}
		}
		ok = true
		if spec.VCPU != nil {
			it.VCPU = *spec.VCPU
		}
		if spec.MemoryGiB != nil {
			it.MemoryGiB = *spec.MemoryGiB
		}
		if spec.Speed != nil {
			it.Speed = *spec.Speed
		}
		if spec.USDPerHour != nil {
			it.USDPerHour = *spec.USDPerHour
			it.PriceSource = "scenario instance_types"
		}
	}
	return it, ok
}

// nearTypes suggests known type names close to a mistyped one.
func (s *Scenario) nearTypes(name string) []string {
	names := s.PriceList().Types()
	for _, spec := range s.InstanceTypes {
		names = append(names, spec.Name)
	}
	return strictyaml.Nearest(name, names, 3)
}
