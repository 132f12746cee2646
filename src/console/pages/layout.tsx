/** @jsxImportSource hono/jsx */
/**
 * The frame of every console page: the navigation, the CSRF token the
 * client script sends back with each change, and the gateway's own style and
 * script (no CDN: the console works offline).
 */
import type { Child } from "hono/jsx";

export type ConsolePage = "tail" | "explain" | "schemas" | "targets";

const NAV: readonly { readonly page: ConsolePage; readonly label: string; readonly href: string }[] = [
  { page: "tail", label: "Live tail", href: "/console" },
  { page: "explain", label: "Route explain", href: "/console/explain" },
  { page: "schemas", label: "Schemas", href: "/console/schemas" },
  { page: "targets", label: "Targets", href: "/console/targets" },
];

export function Layout(props: { page: ConsolePage; csrf: string; principal: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content={props.csrf} />
        <title>ce-gateway console</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer></script>
      </head>
      <body data-page={props.page}>
        <header>
          <strong>ce-gateway</strong>
          <nav>
            {NAV.map((item) => (
              <a href={item.href} class={item.page === props.page ? "current" : undefined}>
                {item.label}
              </a>
            ))}
          </nav>
          <form method="post" action="/console/sign-out" class="sign-out">
            <input type="hidden" name="csrf" value={props.csrf} />
            <span class="muted">{props.principal}</span> <button type="submit">Sign out</button>
          </form>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

export function SignInPage(props: { failed: boolean }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Sign in: ce-gateway console</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
      </head>
      <body>
        <main class="sign-in">
          <h1>ce-gateway console</h1>
          <form method="post" action="/console/sign-in">
            <label>
              Admin token <input type="password" name="token" autocomplete="current-password" autofocus />
            </label>
            <button type="submit">Sign in</button>
          </form>
          {props.failed ? <p class="error">That token is not an admin token of this gateway.</p> : null}
        </main>
      </body>
    </html>
  );
}
