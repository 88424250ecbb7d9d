// wpc command line (REQUIREMENTS.md §5). Each sub-command lives in its own file.
export const USAGE = `usage:
  wpc certify --proxy URL | --product NAME [--variant V] | --image IMAGE | --sim [--fault NAME,…]
  wpc run SCENARIO… [--transport sim|tcp] [--seed N]
  wpc list [cases|faults|scenarios|products]   wpc explain ID
  wpc serve [--host H] [--http-port P] [--https-port Q] [--user U --password P] [--auth …] [--allow-unencrypted]
  wpc proxy [--host H] --port P [--fault NAME,…] [--proxy-user U --proxy-password P [--proxy-auth negotiate,ntlm,digest,basic]]
  wpc merge REPORT.json… --out DIR`;

export { UsageError } from './usage.ts';

type Command = (argv: string[]) => Promise<number>;

// Help for the sub-commands that take few options (certify, serve and proxy print their own).
const SHORT_HELP: Record<string, string> = {
  run: `usage: wpc run SCENARIO… [--transport sim|tcp] [--seed N]
  Runs scenario files (scenarios/*.yaml), checks their expectations and the invariants INV-1…INV-8,
  and prints the trace of a failure. Exit 0 when every scenario holds, 1 otherwise.`,
  list: `usage: wpc list [cases|faults|scenarios|products]
  Lists the conformance cases (default), the fault catalogue, the scenario files or the proxy products.`,
  explain: `usage: wpc explain ID
  Explains a case (https.1 … http.11), a fault or an invariant (INV-1 … INV-8).`,
  merge: `usage: wpc merge REPORT.json… --out DIR [--format json,junit,html,md]
  Joins the reports of sharded certify runs into one report set in DIR.`,
};

// Loaded lazily so that `wpc list` does not pay for the certification runner.
const commands: Record<string, () => Promise<Command>> = {
  list: () => import('./list.ts').then((m) => m.run),
  explain: () => import('./explain.ts').then((m) => m.run),
  certify: () => import('./certify.ts').then((m) => m.run),
  merge: () => import('./merge.ts').then((m) => m.run),
  proxy: () => import('./proxy.ts').then((m) => m.run),
  run: () => import('./run.ts').then((m) => m.run),
  serve: () => import('./serve.ts').then((m) => m.run),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  // A usage error is one line on stderr and exit 2 (REQUIREMENTS.md §5).
  const known = Object.keys(commands).join(', ');
  if (!name) {
    process.stderr.write(`wpc: no command given (${known}; see wpc --help)\n`);
    return 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`wpc: unknown command '${name}' (${known}; see wpc --help)\n`);
    return 2;
  }
  if (SHORT_HELP[name] && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(SHORT_HELP[name] + '\n');
    return 0;
  }
  try {
    const run = await load();
    return await run(rest);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`wpc ${name}: ${msg.split('\n')[0]}\n`);
    return 2;
  }
}
