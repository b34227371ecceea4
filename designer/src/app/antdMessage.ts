// antd's static message, for the few places of the first screen that may need one (signing out failed): loaded then.
import '@ant-design/v5-patch-for-react-19';
export { message } from 'antd';
