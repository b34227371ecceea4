import { ApiError, buildUrl, type QueryValue } from '../api/client';
import type { ProblemDetails } from '../api/types';

/**
 * Downloads a file the server makes (an .xlsx export …): resolves with the file and its name; a refusal is thrown as
 * the ApiError of its problem details, like any other call.
 */
export async function fetchFile(
  path: string,
  query: Record<string, QueryValue>,
  fallbackName: string,
  signal?: AbortSignal,
): Promise<{ blob: Blob; fileName: string }> {
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), {
      credentials: 'same-origin',
      headers: {
        Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/problem+json',
      },
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0);
  }
  if (!response.ok) {
    let problem: ProblemDetails | undefined;
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      try {
        problem = (await response.json()) as ProblemDetails;
      } catch {
        problem = undefined;
      }
    }
    throw new ApiError(response.status, problem);
  }
  return {
    blob: await response.blob(),
    fileName: fileNameOf(response.headers.get('content-disposition'), fallbackName),
  };
}

/** The file name from a Content-Disposition header (RFC 5987 `filename*` first). */
export function fileNameOf(header: string | null, fallback = '督查台账.xlsx'): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain ? plain[1].trim() : fallback;
}

/** Lets the browser save `blob` as `fileName`. */
export function saveBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the download a moment to start before the URL is released.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
