// Who is logged in to the console (GET /api/v1/office/auth/me), shared by the pages.
import { reactive } from 'vue';

export const session = reactive({ me: null });
