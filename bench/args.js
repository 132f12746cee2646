/** The command line of `npm run bench -- [options]`. */
import { parseArgs } from "node:util";

export const USAGE = `npm run bench -- [options]

Load benchmark (default): every configuration under HTTP load from wrk (or autocannon),
baselines and gateway scenarios in the same run; markdown tables on stdout, progress on
stderr, raw JSON in bench/results/.

  --quick               about a minute: 1 round, short runs, one configuration of each kind
  --only NAMES          comma-separated configuration names (* matches anything), e.g. 'gateway-js-*,minimal-js-*'
  --list                print the configuration names and exit
  --rounds N            rounds (default 3; --quick 1); medians over rounds
  --duration S          seconds of load per measurement (default 5; --quick 3; --soak 300)
  --warmup S            seconds of warm-up load after start (default 2; --quick 1)
  --connections N       concurrent connections (default 50)
  --driver D            auto (wrk when installed, else autocannon) | wrk | autocannon
  --soak                the gateway into JetStream for 5 minutes, RSS every 10 s: does it stay flat?
  --micro               the in-process micro-benchmarks instead (bench/micro.js)
  --workers             only the Cloudflare Workers micro-benchmark (bench/workers.js)
`;

const positive = (value, name) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
  return n;
};

export function benchArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string", multiple: true },
      list: { type: "boolean", default: false },
      rounds: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string", default: "50" },
      driver: { type: "string", default: "auto" },
      soak: { type: "boolean", default: false },
      micro: { type: "boolean", default: false },
      workers: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (!["auto", "wrk", "autocannon"].includes(values.driver))
    throw new Error(`unknown --driver ${values.driver}`);
  const quick = values.quick;
  return {
    help: values.help,
    list: values.list,
    micro: values.micro,
    workers: values.workers,
    soak: values.soak,
    quick,
    only: (values.only ?? []).flatMap((v) => v.split(/[\s,]+/)).filter((v) => v !== ""),
    rounds: Math.round(positive(values.rounds ?? (quick ? 1 : 3), "--rounds")),
    durationS: positive(values.duration ?? (values.soak ? 300 : quick ? 3 : 5), "--duration"),
    warmupS: values.warmup === undefined ? (quick ? 1 : 2) : Number(values.warmup),
    connections: Math.round(positive(values.connections, "--connections")),
    /** @type {"auto" | "wrk" | "autocannon"} */
    driver: /** @type {any} */ (values.driver),
  };
}
