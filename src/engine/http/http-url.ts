// `` http.url`https://api/${id}/items` `` keeps URL cardinality low: the request goes to the filled-in
// URL while its `name` tag is the template with `${}` in place of every value (k6 js/modules/k6/http).

export class TemplatedUrl {
  readonly url: string;
  readonly name: string;
  constructor(url: string, name: string) {
    this.url = url;
    this.name = name;
  }
  toString(): string {
    return this.url;
  }
}

export function httpUrl(strings: TemplateStringsArray | readonly string[], ...values: unknown[]): TemplatedUrl {
  let url = strings[0] ?? '';
  let name = url;
  for (let i = 0; i < values.length; i++) {
    const tail = strings[i + 1] ?? '';
    url += String(values[i]) + tail;
    name += '${}' + tail;
  }
  return new TemplatedUrl(url, name);
}

/** The URL as k6 tags it: user info masked, otherwise as the script wrote it. */
export function cleanUrl(input: string, parsed: URL): string {
  if (parsed.username === '' && parsed.password === '') return input;
  const masked = new URL(parsed.href);
  masked.username = '****';
  if (parsed.password !== '') masked.password = '****';
  return masked.href;
}
