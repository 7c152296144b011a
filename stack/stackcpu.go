package stack

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of /proc/<pid>/stat's CPU times (USER_HZ, 100 on
// every Linux architecture capsim builds for; proc(5)).
const clockTick = 10 * time.Millisecond

// procCPU is the CPU time a process has used: user + system, and with
// children its waited-for children's too (proc(5), /proc/<pid>/stat
// fields 14–17).
func procCPU(pid string, children bool) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%s/stat: no command name", pid)
	}
	f := strings.Fields(string(b[i+1:])) // f[0] is field 3
	if len(f) < 15 {
		return 0, fmt.Errorf("/proc/%s/stat: %d fields", pid, len(f)+2)
	}
	n := 2 // utime, stime
	if children {
		n = 4 // cutime, cstime
	}
	var ticks int64
	for _, s := range f[11 : 11+n] {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%s/stat: %w", pid, err)
		}
		ticks += v
	}
	return time.Duration(ticks) * clockTick, nil
}

// stackCPU is the CPU time used so far by the whole stack: this process
// (the generator and the autoscaler) with the children it has already
// waited for (backends terminated during the run), and each running
// child (HAProxy, live backends). A child that cannot be read (gone) is
// left out: it is counted among the waited-for once waited for.
func stackCPU(children []int) time.Duration {
	total, _ := procCPU("self", true)
	for _, pid := range children {
		if d, err := procCPU(strconv.Itoa(pid), false); err == nil {
			total += d
		}
	}
	return total
}

// stackCPUPercent is the stack's share of all the host's cores between
// two readings wall apart.
func stackCPUPercent(before, after, wall time.Duration) float64 {
	if wall <= 0 {
		return 0
	}
	return (after - before).Seconds() / (wall.Seconds() * float64(runtime.NumCPU())) * 100
}
