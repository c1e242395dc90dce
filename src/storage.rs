//! Where uploaded files live: the data folder by default, an S3-compatible store by
//! configuration. Both through `object_store`, so the code above does not care.

use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use secrecy::ExposeSecret;

use crate::config::Settings;
use crate::error::{AppError, StartupError};

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    pub description: String,
}

impl Storage {
    pub fn from_settings(settings: &Settings) -> Result<Storage, StartupError> {
        if !settings.storage.s3_bucket.trim().is_empty() {
            let mut builder = AmazonS3Builder::new()
                .with_bucket_name(settings.storage.s3_bucket.trim())
                .with_region(settings.storage.s3_region.trim())
                .with_access_key_id(settings.storage.s3_access_key_id.trim())
                .with_secret_access_key(
                    settings.storage.s3_secret_access_key.expose_secret().trim(),
                )
                .with_allow_http(settings.storage.s3_allow_http);
            if !settings.storage.s3_endpoint.trim().is_empty() {
                builder = builder.with_endpoint(settings.storage.s3_endpoint.trim());
            }
            let store = builder
                .build()
                .map_err(|e| StartupError::bad_setting("s3_*", format!("cannot be used: {e}")))?;
            return Ok(Storage {
                store: Arc::new(store),
                description: format!("S3 bucket {}", settings.storage.s3_bucket.trim()),
            });
        }
        let dir = settings.data_dir.join("uploads");
        std::fs::create_dir_all(&dir).map_err(|e| StartupError::folder(&dir, e))?;
        let store = LocalFileSystem::new_with_prefix(&dir)
            .map_err(|e| StartupError::folder(&dir, std::io::Error::other(e)))?;
        Ok(Storage {
            store: Arc::new(store),
            description: format!("files in {}", dir.display()),
        })
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        self.store
            .put(&StorePath::from(key), PutPayload::from(bytes))
            .await
            .map(drop)
            .map_err(AppError::unexpected)
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>, AppError> {
        let result = self
            .store
            .get(&StorePath::from(key))
            .await
            .map_err(|e| match e {
                object_store::Error::NotFound { .. } => AppError::not_found("file"),
                other => AppError::unexpected(other),
            })?;
        Ok(result.bytes().await.map_err(AppError::unexpected)?.to_vec())
    }

    pub async fn delete(&self, key: &str) -> Result<(), AppError> {
        match self.store.delete(&StorePath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(AppError::unexpected(e)),
        }
    }
}
