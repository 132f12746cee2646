/**
 * Loads a module that needs an optional SDK (an optional peer dependency,
 * so a Workers user never installs it), turning "not installed" into a
 * message that says which package to install.
 */
export async function loadOptionalSdk<T>(
  load: () => Promise<T>,
  packages: readonly string[],
  forWhat: string,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = String((error as Error).message);
    if (code === "ERR_MODULE_NOT_FOUND" && packages.some((name) => message.includes(`'${name}'`)))
      throw new Error(`${forWhat} needs the optional packages: npm install ${packages.join(" ")}`, {
        cause: error,
      });
    throw error;
  }
}
