/** Ceiling: node:http reading the body and answering 202, nothing else. */
import { createServer } from "node:http";
import { serverOptions } from "./server-options.js";

const { port } = serverOptions();
createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(request.url === "/healthz" ? 200 : 202);
    response.end();
  });
}).listen(port, "127.0.0.1");
