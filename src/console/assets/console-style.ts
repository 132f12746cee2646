/** The console's style sheet, served at /console/assets/console.css (no CDN, no web fonts). */
export const CONSOLE_STYLE = `
:root { color-scheme: light dark; --muted: #777; --line: #8884; --ok: #1a7f37; --bad: #c62828; --warn: #b26a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; }
header { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
header nav { display: flex; gap: 1rem; flex: 1; }
header a { text-decoration: none; color: inherit; }
a.current { font-weight: 600; text-decoration: underline; }
main { padding: 1rem; max-width: 1200px; }
main.sign-in { max-width: 420px; margin: 10vh auto; }
h1 { font-size: 1.3rem; margin: 0 0 .8rem; }
h2 { font-size: 1.1rem; } h3 { font-size: 1rem; } h4 { margin: .6rem 0 .2rem; font-size: .9rem; }
.muted { color: var(--muted); }
.error { color: var(--bad); white-space: pre-wrap; }
.ok { color: var(--ok); }
form.filters { display: flex; gap: .8rem; flex-wrap: wrap; align-items: end; margin-bottom: .6rem; }
label { display: inline-flex; flex-direction: column; font-size: .85rem; gap: .2rem; }
label.wide input { width: 22rem; }
input, textarea, button { font: inherit; }
textarea { width: 100%; font-family: ui-monospace, monospace; font-size: 13px; }
button { padding: .3rem .8rem; cursor: pointer; }
pre { background: #8881; padding: .5rem; overflow: auto; max-height: 24rem; font-size: 12.5px; }
table { border-collapse: collapse; margin: .4rem 0; }
th, td { text-align: left; padding: .25rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
details.entry { border-bottom: 1px solid var(--line); padding: .3rem 0; }
details.entry summary { cursor: pointer; }
details.entry time { font-family: ui-monospace, monospace; color: var(--muted); }
details.rejected strong { color: var(--bad); }
.badge { display: inline-block; margin-left: .3rem; padding: 0 .4rem; border-radius: .6rem; font-size: .8rem; border: 1px solid var(--line); }
.badge.acked { color: var(--ok); } .badge.terminal { color: var(--bad); } .badge.retriable { color: var(--warn); }
.badge.pending { color: var(--muted); }
.columns { display: grid; grid-template-columns: 16rem 1fr; gap: 1.5rem; }
ul.types { list-style: none; padding: 0; margin: 0; }
pre.diff .added { color: var(--ok); } pre.diff .removed { color: var(--bad); }
pre.diff span { display: block; }
.dead-letters { margin-bottom: 1rem; }
`;
