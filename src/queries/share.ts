// POST /api/shares: store the open file on the server so a URL can name it.
import { useMutation } from '@tanstack/react-query';
import type { ShareReceipt } from '../core/api/backend-api.ts';
import { fetchApi } from './api-fetch.ts';

export function uploadShare(body: Blob, name: string): Promise<ShareReceipt> {
  return fetchApi<ShareReceipt>(`/api/shares?name=${encodeURIComponent(name)}`, { method: 'POST', body, headers: { 'Content-Type': 'application/octet-stream' } });
}


export function useShareUpload() {
  return useMutation({ mutationKey: ['share'], mutationFn: ({ body, name }: { body: Blob; name: string }) => uploadShare(body, name) });
}
