export function pinPackage(packed: Uint8Array, _date: string): Uint8Array {
  return packed;
}
