// Peak memory of the processes a `pulumi up` starts, sampled from /proc: the
// CLI, the Node.js language host and program, and the dynamic provider. Only
// descendants of this process are counted, so other work on the machine is not.
import * as fs from "node:fs";

/** Sampling interval (ms): short enough to catch a peak that lasts a fraction of a second. */
const SAMPLE_EVERY_MS = 100;

export interface MemoryPeaks {
  /** Peak resident memory (MiB) of the `pulumi` CLI process. */
  pulumi: number;
  /** Peak resident memory (MiB) of the dynamic provider process. */
  provider: number;
  /** Peak resident memory (MiB) of the Node.js program (with its language host). */
  program: number;
  /** Peak of the sum over every descendant at one instant (MiB): the whole run. */
  total: number;
}

type Role = keyof Omit<MemoryPeaks, "total">;

function roleOf(cmdline: string): Role | undefined {
  if (cmdline.includes("dynamic-provider")) return "provider";
  if (cmdline.includes("pulumi-language-nodejs") || cmdline.includes("@pulumi/pulumi/cmd/run")) return "program";
  if (/(^|\/)pulumi(\0|$)/.test(cmdline)) return "pulumi";
  return undefined;
}

interface Sample {
  pid: number;
  ppid: number;
  rssKiB: number;
  cmdline: string;
}

function readProcesses(): Sample[] {
  const samples: Sample[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name may hold spaces and parentheses: the fields after the last ")" are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${entry}/status`, "utf8"));
      samples.push({ pid: Number(entry), ppid, rssKiB: rss ? Number(rss[1]) : 0, cmdline: fs.readFileSync(`/proc/${entry}/cmdline`, "utf8") });
    } catch {
      // exited between the listing and the read
    }
  }
  return samples;
}

/** Starts sampling; `stop()` returns the peaks seen meanwhile. */
export function watchMemory(): { stop(): MemoryPeaks } {
  const peaks: MemoryPeaks = { pulumi: 0, provider: 0, program: 0, total: 0 };
  const tick = () => {
    const all = readProcesses();
    const children = new Map<number, Sample[]>();
    for (const sample of all) children.set(sample.ppid, [...(children.get(sample.ppid) ?? []), sample]);
    let total = 0;
    const seen = new Set<number>();
    const visit = (pid: number) => {
      for (const child of children.get(pid) ?? []) {
        if (seen.has(child.pid)) continue;
        seen.add(child.pid);
        const mib = child.rssKiB / 1024;
        const role = roleOf(child.cmdline);
        if (role) {
          peaks[role] = Math.max(peaks[role], mib);
          total += mib;
        }
        visit(child.pid);
      }
    };
    visit(process.pid);
    peaks.total = Math.max(peaks.total, total);
  };
  const timer = setInterval(tick, SAMPLE_EVERY_MS);
  tick();
  return {
    stop() {
      clearInterval(timer);
      tick();
      return { pulumi: Math.round(peaks.pulumi), provider: Math.round(peaks.provider), program: Math.round(peaks.program), total: Math.round(peaks.total) };
    },
  };
}
