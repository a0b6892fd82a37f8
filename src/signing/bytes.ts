/**
 * The bytes a lockfile signature covers: the file with line endings made LF, so a Windows checkout of the same
 * lockfile verifies, while any change of content does not.
 */
export function signedBytes(lockfileText: string): Buffer {
  return Buffer.from(lockfileText.replace(/\r\n/g, '\n'), 'utf8');
}
