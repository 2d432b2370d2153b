// What face-api's un-bundled build imports as "@tensorflow/tfjs" (see vite.config.js): only
// TF.js's core and its CPU kernels. face-api's nets use core ops alone, so the layers, the
// graph converter and the data API of the full package never reach the phone.
export * from '@tensorflow/tfjs-core';
// Tensor methods (t.as3D(), t.expandDims() …) face-api calls, as the full package registers them.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
