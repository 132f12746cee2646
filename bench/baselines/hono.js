/** Ceiling: Hono on @hono/node-server answering 202 (the server drains the unread body). */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { serverOptions } from "./server-options.js";

const { port } = serverOptions();
const app = new Hono();
app.get("/healthz", (c) => c.text("ok"));
app.post("/events", (c) => c.body(null, 202));
serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
