/**
 * The outbox's file operations over `node:fs/promises`. A file created or
 * removed is only durable once its folder is synced too, so both do that.
 */
import { type FileHandle, mkdir, open, readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { OutboxFs } from "./outbox-fs.js";

export async function nodeOutboxFs(dir: string): Promise<OutboxFs> {
  await mkdir(dir, { recursive: true });
  const handles = new Map<string, FileHandle>();

  async function syncDir(): Promise<void> {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async function handleOf(name: string): Promise<FileHandle> {
    let handle = handles.get(name);
    if (handle === undefined) {
      handle = await open(join(dir, name), "a");
      handles.set(name, handle);
    }
    return handle;
  }

  async function closeHandle(name: string): Promise<void> {
    const handle = handles.get(name);
    handles.delete(name);
    await handle?.close();
  }

  return {
    list: () => readdir(dir),
    readAll: async (name) => new Uint8Array(await readFile(join(dir, name))),
    async create(name) {
      const handle = await open(join(dir, name), "wx");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await syncDir();
    },
    async append(name, bytes) {
      const handle = await handleOf(name);
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
        written += bytesWritten;
      }
    },
    async fsync(name) {
      await (await handleOf(name)).sync();
    },
    async truncate(name, length) {
      await closeHandle(name);
      const handle = await open(join(dir, name), "r+");
      try {
        await handle.truncate(length);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async unlink(name) {
      await closeHandle(name);
      await unlink(join(dir, name));
      await syncDir();
    },
    async close() {
      await Promise.all([...handles.keys()].map(closeHandle));
    },
  };
}
